/* rectify 整改台账 -- small enhancements; every page works without them.
   Served as /static/app.js (the CSP admits no inline script). */
(function () {
	"use strict";
	// Filters submit as soon as a select changes.
	document.querySelectorAll("form.filters select").forEach(function (s) {
		s.addEventListener("change", function () { s.form.submit(); });
	});
	// Ask before the actions that carry data-confirm.
	document.querySelectorAll("[data-confirm]").forEach(function (el) {
		var form = el.tagName === "FORM" ? el : el.form;
		if (!form) return;
		form.addEventListener("submit", function (e) {
			if (!window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
		});
	});
	// Keep the selected tree node and its highlighted span in view.
	var mark = document.querySelector(".source mark");
	if (mark && mark.scrollIntoView) mark.scrollIntoView({block: "center"});
	var sel = document.querySelector("ul.tree a.sel");
	if (sel && sel.scrollIntoView) sel.scrollIntoView({block: "nearest"});
	// Bulk actions: a box in the head of a list's checkboxes ticks them all.
	document.querySelectorAll("th.pick").forEach(function (th) {
		var boxes = th.closest("table").querySelectorAll("td.pick input[type=checkbox]");
		if (!boxes.length) return;
		var all = document.createElement("input");
		all.type = "checkbox";
		all.setAttribute("aria-label", "全选本页的事项");
		all.addEventListener("change", function () {
			boxes.forEach(function (b) { b.checked = all.checked; });
		});
		th.appendChild(all);
	});
	// Disable a submit button once pressed, against double posts.
	document.querySelectorAll("form[method=post]").forEach(function (f) {
		f.addEventListener("submit", function () {
			var b = f.querySelector("button[type=submit]");
			if (b) setTimeout(function () { b.disabled = true; }, 0);
		});
	});
})();
