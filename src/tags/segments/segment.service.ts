import { AuditLogWriter } from '../../audit/audit-log.writer';
import { countCustomers } from '../../storage/segments/segment-membership.repository';
import { findTag, findTags } from '../../storage/tags/tag.repository';
import { queueJob } from '../../storage/tags/bulk-job.repository';
import { tagConflict, tagInvalid, tagNotFound } from '../tag-errors';
import type { Actor, TagsDeps } from '../tags-deps';
import { parseSegmentInput, type SegmentInput } from './segment-input.schema';
import {
  deleteSegment,
  findSegment,
  insertSegment,
  listSegments,
  recordRun,
  segmentOfTag,
  segmentView,
  updateSegment,
  type SegmentRecord,
} from '../../storage/segments/segment.repository';
import type { SegmentRunner, SegmentRunResult } from './segment-runner';
import {
  deleteSegmentRuns,
  insertSegmentRun,
  listSegmentRuns,
  segmentRunView,
} from '../../storage/segments/segment-run.repository';
import type { Rule } from './rule-types';
import { type RuleAttributeRef, type RuleChannelRef, validateRule } from './rule.validator';
import { attributeConditionProblem } from '../../attributes/attribute-condition';
import { listDefinitions } from '../../storage/attributes/attribute-definition.repository';
import { knownChannelIds } from '../../storage/channels/channel.repository';
import type { SegmentPageJson, SegmentPreviewJson, SegmentRunPageJson } from './segments-api.types';

/** Runs over more customers than this go to a bulk job (`{ jobId }`); smaller ones answer with the result. */
export const INLINE_RUN_MAX_CUSTOMERS = 20_000;

/** Segments (DESIGN §5, §8.3): rules producing a tag, previewed, run on demand and on their schedule. */
export class SegmentService {
  private readonly audit: AuditLogWriter;

  constructor(
    private readonly deps: TagsDeps,
    private readonly runner: SegmentRunner,
  ) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async list(opts: { cursor?: string; limit: number }): Promise<SegmentPageJson> {
    const rows = await listSegments(this.deps.ds, { after: opts.cursor, limit: opts.limit + 1 });
    const page = rows.slice(0, opts.limit);
    return { items: page.map(segmentView), nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null };
  }

  async get(id: string): Promise<SegmentRecord> {
    const s = await findSegment(this.deps.ds, id);
    if (!s) throw tagNotFound(`segment ${id}`);
    return s;
  }

  async create(body: unknown, actor: Actor): Promise<SegmentRecord> {
    const input = parseSegmentInput(body, false);
    await this.check(input, undefined);
    const id = await this.deps.ds.transaction(async (m) => {
      const now = new Date(this.deps.now());
      const segId = await insertSegment(m, {
        name: input.name,
        tagId: input.tagId,
        rule: input.rule,
        schedule: input.schedule ?? null,
        enabled: input.enabled ?? true,
        now,
      });
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'segment.create',
          targetType: 'segment',
          targetId: segId,
          details: { name: input.name, tagId: input.tagId, schedule: input.schedule ?? null },
        },
        m,
      );
      return segId;
    });
    return this.get(id);
  }

  async update(id: string, body: unknown, actor: Actor): Promise<SegmentRecord> {
    const current = await this.get(id);
    const input = parseSegmentInput(body, true);
    if (input.tagId !== undefined && input.tagId !== current.tagId && current.lastRunAt) {
      throw tagInvalid('tagId cannot change once the segment has run; delete the segment and create another');
    }
    await this.check({ ...input, tagId: input.tagId ?? current.tagId ?? undefined }, id);
    await this.deps.ds.transaction(async (m) => {
      await updateSegment(
        m,
        id,
        { name: input.name, tagId: input.tagId, rule: input.rule, schedule: input.schedule, enabled: input.enabled },
        new Date(this.deps.now()),
      );
      const { ruleTagIds: _r, ruleChannels: _c, ...changes } = input;
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'segment.update',
          targetType: 'segment',
          targetId: id,
          details: changes,
        },
        m,
      );
    });
    return this.get(id);
  }

  /** Deletes the segment; its members lose the `rule` assignment in a bulk job. */
  async remove(id: string, actor: Actor): Promise<{ id: string; deleted: true; jobId: string | null }> {
    const s = await this.get(id);
    const jobId = await this.deps.ds.transaction(async (m) => {
      const now = new Date(this.deps.now());
      await deleteSegment(m, id);
      await deleteSegmentRuns(m, id);
      const job = s.tagId
        ? await queueJob(m, 'tags.unassign', { tagId: s.tagId, source: 'rule', segmentId: id }, actor.name, now)
        : null;
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'segment.delete',
          targetType: 'segment',
          targetId: id,
          details: { name: s.name, tagId: s.tagId, jobId: job },
        },
        m,
      );
      return job;
    });
    return { id, deleted: true, jobId };
  }

  /** Count and a sample of the customers a rule matches: the saved one, or `body.rule` to try a draft. */
  async preview(id: string, body: unknown): Promise<SegmentPreviewJson> {
    const s = await this.get(id);
    const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    return this.runner.preview(raw.rule === undefined ? s.rule : await this.draftRule(raw.rule));
  }

  /** `POST /segments/preview {rule}`: a rule not saved yet (the builder counts a new segment as it is written). */
  async previewDraft(body: unknown): Promise<SegmentPreviewJson> {
    const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    return this.runner.preview(await this.draftRule(raw.rule));
  }

  /** `POST /segments/:id/run`: small customer bases run now and answer the result, large ones queue a job. */
  async requestRun(id: string, actor: Actor): Promise<{ jobId: string } | { result: SegmentRunResult }> {
    const s = await this.get(id);
    if (!s.tagId) throw tagInvalid('the segment has no tag');
    const customers = await countCustomers(this.deps.ds);
    if (customers > INLINE_RUN_MAX_CUSTOMERS) {
      return {
        jobId: await queueJob(this.deps.ds, 'segments.run', { segmentId: id }, actor.name, new Date(this.deps.now())),
      };
    }
    return { result: await this.runNow(s, actor) };
  }

  /** Runs one segment and records the outcome (last run, count, error), a `segment_runs` row and an audit entry. */
  async runNow(
    s: SegmentRecord,
    actor: Actor,
    progress?: (processed: number, total: number) => Promise<void>,
  ): Promise<SegmentRunResult> {
    if (!s.tagId) throw tagInvalid('the segment has no tag');
    const at = new Date(this.deps.now());
    const run = { segmentId: s.id, triggeredBy: actor.name, startedAt: at };
    try {
      const result = await this.runner.run({ id: s.id, tagId: s.tagId, rule: s.rule }, progress);
      await recordRun(this.deps.ds, s.id, { at, count: result.members, error: null });
      await insertSegmentRun(this.deps.ds, {
        ...run,
        status: 'done',
        finishedAt: new Date(this.deps.now()),
        ...result,
        error: null,
      });
      await this.audit.write({
        actor: actor.name,
        role: actor.role ?? null,
        action: 'segment.run',
        targetType: 'segment',
        targetId: s.id,
        details: { tagId: s.tagId, ...result },
      });
      return result;
    } catch (err) {
      const error = err instanceof Error ? err.message.slice(0, 1000) : String(err);
      await recordRun(this.deps.ds, s.id, { at, count: null, error });
      await insertSegmentRun(this.deps.ds, {
        ...run,
        status: 'failed',
        finishedAt: new Date(this.deps.now()),
        members: null,
        added: 0,
        removed: 0,
        scanned: 0,
        error,
      });
      throw err;
    }
  }

  /** `GET /segments/:id/runs`: the segment's runs, newest first (its size over time). */
  async runs(id: string, opts: { cursor?: string; limit: number }): Promise<SegmentRunPageJson> {
    await this.get(id);
    const rows = await listSegmentRuns(this.deps.ds, id, { before: opts.cursor, limit: opts.limit + 1 });
    const page = rows.slice(0, opts.limit);
    return { items: page.map(segmentRunView), nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null };
  }

  private async check(input: Partial<SegmentInput>, selfId: string | undefined): Promise<void> {
    if (input.tagId !== undefined) {
      if (!(await findTag(this.deps.ds, input.tagId))) throw tagInvalid(`tagId: tag ${input.tagId} does not exist`);
      const other = await segmentOfTag(this.deps.ds, input.tagId);
      if (other && other.id !== selfId)
        throw tagConflict(`tag ${input.tagId} is already produced by segment ${other.id}`);
      if (input.ruleTagIds?.includes(input.tagId))
        throw tagInvalid(`rule: a segment cannot test its own tag ${input.tagId}`);
    }
    const referenced = [...new Set(input.ruleTagIds ?? [])];
    const found = new Set((await findTags(this.deps.ds, referenced)).map((t) => t.id));
    const unknown = referenced.filter((t) => !found.has(t));
    if (unknown.length > 0) throw tagInvalid(`rule: unknown tag ids ${unknown.join(', ')}`);
    await this.checkChannels(input.ruleChannels ?? []);
    await this.checkAttributes(input.ruleAttributes ?? []);
  }

  /** An `attribute` condition must name a defined field with an operator and values its type supports (422). */
  private async checkAttributes(refs: readonly RuleAttributeRef[]): Promise<void> {
    if (refs.length === 0) return;
    const defs = new Map((await listDefinitions(this.deps.ds)).map((d) => [d.key, d]));
    const problems = refs.flatMap((r) => {
      const message = attributeConditionProblem(r.condition, defs.get(r.condition.key));
      return message ? [{ path: r.path, message }] : [];
    });
    if (problems.length > 0) throw tagInvalid(problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
  }

  /** A `source` condition naming no channel is a 422 naming the condition's field, as a malformed rule is. */
  private async checkChannels(refs: readonly RuleChannelRef[]): Promise<void> {
    const known = await knownChannelIds(
      this.deps.ds,
      refs.map((r) => r.channelId),
    );
    const problems = refs
      .filter((r) => !known.has(r.channelId))
      .map((r) => ({ path: r.path, message: `channel ${r.channelId} does not exist` }));
    if (problems.length > 0) throw tagInvalid(problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
  }

  private async draftRule(raw: unknown): Promise<Rule> {
    const v = validateRule(raw);
    if (!v.rule)
      throw tagInvalid(v.problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems: v.problems });
    await this.checkChannels(v.channels);
    await this.checkAttributes(v.attributes);
    return v.rule;
  }
}
