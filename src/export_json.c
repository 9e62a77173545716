/*
 * export_json.c -- the ledger as JSON (docs/LEDGER-JSON.md): one writer of
 * a task and of a page of the task list, for the command line's --json and
 * the JSON API alike, so that the two give the same bytes.
 *
 * Written with the buffer's JSON string escaping, key by key in the
 * documented order; statuses are the Chinese names with the English key
 * beside them, days "YYYY-MM-DD" or null, times ISO 8601 UTC as stored.
 */
#include "export.h"

static void json_key(struct buf *b, const char *k)
{
	buf_json_cstr(b, k);
	buf_putc(b, ':');
}

void export_json_day(struct buf *b, int32_t day)
{
	if (day == STORE_NO_DAY) {
		buf_puts(b, "null");
		return;
	}
	char d[11];
	store_day_format(day, d);
	buf_printf(b, "\"%s\"", d);
}

static void json_str_or_null(struct buf *b, const char *s)
{
	if (s && *s)
		buf_json_cstr(b, s);
	else
		buf_puts(b, "null");
}

static void json_deadline(struct buf *b, enum deadline_kind k, int32_t day)
{
	json_key(b, "deadline");
	if (k == DEADLINE_NONE) {
		buf_puts(b, "null");
	} else if (k == DEADLINE_DATE || (k == DEADLINE_IMMEDIATE && day != STORE_NO_DAY)) {
		export_json_day(b, day);
	} else {
		buf_json_cstr(b, deadline_kind_name(k));
	}
	buf_puts(b, ",\"deadline_kind\":");
	buf_json_cstr(b, deadline_kind_name(k));
}

/* The keys a task and a task row share, from "status" to "leader". */
static void json_state(struct buf *b, enum task_status status, enum light light,
		       enum deadline_kind dk, int32_t deadline, const char *leader_name)
{
	buf_puts(b, "\"status\":");
	buf_json_cstr(b, task_status_name(status));
	buf_puts(b, ",\"status_key\":");
	buf_json_cstr(b, task_status_key(status));
	buf_puts(b, ",\"light\":");
	buf_json_cstr(b, light_name(light));
	buf_putc(b, ',');
	json_deadline(b, dk, deadline);
	buf_puts(b, ",\"leader\":");
	json_str_or_null(b, leader_name);
}

static void json_row(struct buf *b, const struct task_row *r)
{
	buf_printf(b, "{\"id\":%lld,\"seq\":%d,\"version\":%lld,", (long long)r->id, r->seq,
		   (long long)r->version);
	json_state(b, r->status, r->light, r->deadline_kind, r->deadline, r->leader_name);
	buf_puts(b, ",\"leader_text\":");
	json_str_or_null(b, r->leader_text);
	buf_printf(b, ",\"leader_id\":%lld,\"unit\":", (long long)r->leader_id);
	json_str_or_null(b, r->unit_name);
	buf_printf(b, ",\"unit_id\":%lld,\"area\":", (long long)r->unit_id);
	buf_json_cstr(b, r->area);
	buf_puts(b, ",\"label\":");
	buf_json_cstr(b, r->label);
	buf_puts(b, ",\"lead\":");
	buf_json_cstr(b, r->lead);
	buf_puts(b, ",\"last_activity\":");
	export_json_day(b, r->last_activity);
	buf_puts(b, ",\"review_due\":");
	export_json_day(b, r->review_due);
	buf_printf(b, ",\"progress_count\":%d}", r->n_progress);
}

static void json_event(struct buf *b, const struct task_event *v)
{
	buf_printf(b, "{\"id\":%lld,\"action\":", (long long)v->id);
	buf_json_cstr(b, v->action);
	buf_puts(b, ",\"from\":");
	if (v->from < TASK_STATUS__MAX)
		buf_json_cstr(b, task_status_name(v->from));
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"to\":");
	buf_json_cstr(b, task_status_name(v->to));
	buf_puts(b, ",\"actor\":");
	buf_json_cstr(b, v->actor);
	buf_puts(b, ",\"reason\":");
	buf_json_cstr(b, v->reason);
	buf_puts(b, ",\"at\":");
	buf_json_cstr(b, v->at);
	buf_puts(b, ",\"day\":");
	export_json_day(b, v->day);
	buf_putc(b, '}');
}

/* ,"key":{"by","at","reason"} for a banner event, ,"key":null without one. */
static void json_banner(struct buf *b, const char *key, const struct task_event *v)
{
	buf_putc(b, ',');
	json_key(b, key);
	if (!v) {
		buf_puts(b, "null");
		return;
	}
	buf_puts(b, "{\"by\":");
	buf_json_cstr(b, v->actor);
	buf_puts(b, ",\"at\":");
	buf_json_cstr(b, v->at);
	buf_puts(b, ",\"reason\":");
	buf_json_cstr(b, v->reason);
	buf_putc(b, '}');
}

void export_json_task(struct buf *b, const struct task *t)
{
	buf_printf(b, "{\"id\":%lld,\"seq\":%d,\"version\":%lld,\"campaign_id\":%lld,"
		      "\"report_id\":%lld,\"problem_id\":%lld,",
		   (long long)t->id, t->seq, (long long)t->version, (long long)t->campaign_id,
		   (long long)t->report_id, (long long)t->problem_id);
	json_state(b, t->status, t->light, t->deadline_kind, t->deadline, t->leader_name);
	buf_puts(b, ",\"leader_login\":");
	json_str_or_null(b, t->leader_login);
	buf_puts(b, ",\"leader_text\":");
	json_str_or_null(b, t->leader_text);
	buf_puts(b, ",\"unit\":");
	json_str_or_null(b, t->unit_name);
	buf_puts(b, ",\"area\":");
	buf_json_cstr(b, t->area);
	buf_puts(b, ",\"label\":");
	buf_json_cstr(b, t->label);
	buf_puts(b, ",\"lead\":");
	buf_json_cstr(b, t->lead);
	buf_puts(b, ",\"text\":");
	buf_json_cstr(b, t->text);
	buf_puts(b, ",\"examples\":[");
	for (size_t i = 0; i < t->n_examples; i++) {
		if (i)
			buf_putc(b, ',');
		buf_json_cstr(b, t->examples[i]);
	}
	buf_puts(b, "],\"measures\":[");
	for (size_t i = 0; i < t->n_measures; i++) {
		const struct task_measure *m = &t->measures[i];
		buf_printf(b, "%s{\"id\":%lld,\"label\":", i ? "," : "", (long long)m->node_id);
		buf_json_cstr(b, m->label);
		buf_puts(b, ",\"title\":");
		buf_json_cstr(b, m->title);
		buf_puts(b, ",\"text\":");
		buf_json_cstr(b, m->text);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"goal\":");
	buf_json_cstr(b, t->goal);
	buf_puts(b, ",\"created\":");
	export_json_day(b, t->created);
	buf_puts(b, ",\"last_activity\":");
	export_json_day(b, t->last_activity);
	buf_puts(b, ",\"closed\":");
	export_json_day(b, t->closed_day);
	buf_puts(b, ",\"review_due\":");
	export_json_day(b, t->review_due);
	buf_printf(b, ",\"origin_id\":%s", t->origin_id ? "" : "null");
	if (t->origin_id)
		buf_printf(b, "%lld,\"origin\":{\"id\":%lld,\"seq\":%d,\"year\":%d}",
			   (long long)t->origin_id, (long long)t->origin_id, t->origin_seq,
			   t->origin_year);
	else
		buf_puts(b, ",\"origin\":null");
	if (t->carried_id)
		buf_printf(b, ",\"carried_to\":{\"id\":%lld,\"seq\":%d,\"year\":%d}",
			   (long long)t->carried_id, t->carried_seq, t->carried_year);
	else
		buf_puts(b, ",\"carried_to\":null");
	buf_puts(b, ",\"progress\":[");
	for (size_t i = 0; i < t->n_progress; i++) {
		const struct task_progress *p = &t->progress[i];
		buf_printf(b, "%s{\"id\":%lld,\"day\":", i ? "," : "", (long long)p->id);
		export_json_day(b, p->day);
		buf_puts(b, ",\"at\":");
		buf_json_cstr(b, p->at);
		buf_puts(b, ",\"author\":");
		buf_json_cstr(b, p->author);
		buf_puts(b, ",\"text\":");
		buf_json_cstr(b, p->text);
		buf_puts(b, ",\"evidence\":[");
		for (size_t k = 0; k < p->n_evidence; k++) {
			const struct evidence_meta *m = &p->evidence[k];
			buf_printf(b, "%s{\"id\":%lld,\"name\":", k ? "," : "", (long long)m->id);
			buf_json_cstr(b, m->name);
			buf_puts(b, ",\"mime\":");
			buf_json_cstr(b, m->mime);
			buf_printf(b, ",\"size\":%lld,\"sha256\":\"%s\"}", (long long)m->size,
				   m->sha256);
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, "],\"events\":[");
	for (size_t i = 0; i < t->n_events; i++) {
		if (i)
			buf_putc(b, ',');
		json_event(b, &t->events[i]);
	}
	buf_puts(b, "],\"reviews\":[");
	for (size_t i = 0; i < t->n_reviews; i++) {
		if (i)
			buf_putc(b, ',');
		json_event(b, &t->reviews[i]);
	}
	buf_puts(b, "],\"extensions\":[");
	for (size_t i = 0; i < t->n_extensions; i++) {
		const struct task_extension *x = &t->extensions[i];
		buf_printf(b, "%s{\"id\":%lld,\"from\":", i ? "," : "", (long long)x->id);
		export_json_day(b, x->from_day);
		buf_puts(b, ",\"to\":");
		export_json_day(b, x->to_day);
		buf_puts(b, ",\"reason\":");
		buf_json_cstr(b, x->reason);
		buf_puts(b, ",\"state\":");
		buf_json_cstr(b, x->state);
		buf_puts(b, ",\"requested_by\":");
		buf_json_cstr(b, x->requester);
		buf_puts(b, ",\"decided_by\":");
		json_str_or_null(b, x->decider);
		buf_puts(b, ",\"note\":");
		buf_json_cstr(b, x->note);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_banner(b, "urged", t->urge);
	json_banner(b, "returned", t->returned);
	buf_puts(b, ",\"actions\":[");
	int first = 1;
	for (int a = 0; a < TACT__MAX; a++) {
		if (!(t->actions & (1u << a)))
			continue;
		if (!first)
			buf_putc(b, ',');
		first = 0;
		buf_json_cstr(b, task_action_name((enum task_action)a));
	}
	buf_puts(b, "]}");
}

void export_json_task_list(struct buf *b, const struct task_list *l, const struct task_filter *f)
{
	buf_printf(b, "{\"total\":%lld,\"page\":%d,\"per_page\":%d,\"tasks\":[", (long long)l->total,
		   f->page, f->per_page ? f->per_page : 50);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_putc(b, ',');
		json_row(b, &l->rows[i]);
	}
	buf_puts(b, "]}");
}
