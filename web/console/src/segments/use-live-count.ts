import { onScopeDispose, ref, watch, type Ref } from 'vue';
import { api, ApiError } from '../api/http';
import type { SegmentPreview } from '../api/types';

/**
 * The live count: each change of the rule is previewed once the editing pauses (`POST /segments/:id/preview` with
 * the draft, or `POST /segments/preview` for a segment not saved yet), and only the answer to the latest draft is shown.
 * A draft that is not `ready` (a condition still without its pick) is not sent: the page says what is missing.
 * A preview lost to a busy gateway (5xx, network) is asked again after a growing pause while its draft is still
 * the latest, so a count never stays stale after one bad moment.
 */
const RETRIES = 5;

const transient = (e: unknown): boolean => e instanceof ApiError && (e.status === 0 || e.status >= 500);

export function useLiveCount(
  segmentId: Ref<string | null>,
  ruleJson: () => string,
  ready: () => boolean = () => true,
  delayMs = 400,
) {
  const preview = ref<SegmentPreview | null>(null);
  const error = ref<unknown>(null);
  const pending = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  async function run(json: string, attempt = 0): Promise<void> {
    const id = segmentId.value;
    const mine = attempt === 0 ? ++asked : asked;
    if (!ready()) {
      // An answer still on its way is for an older draft: `asked` moved on, so it is dropped.
      error.value = null;
      pending.value = false;
      return;
    }
    pending.value = true;
    try {
      const path = id ? `/segments/${encodeURIComponent(id)}/preview` : '/segments/preview';
      const r = await api<SegmentPreview>(path, { method: 'POST', body: { rule: JSON.parse(json) } });
      if (mine === asked) {
        preview.value = r;
        error.value = null;
      }
    } catch (e) {
      if (mine !== asked) return;
      error.value = e;
      if (transient(e) && attempt < RETRIES) {
        timer = setTimeout(() => void run(json, attempt + 1), delayMs * 2 ** attempt);
        return;
      }
    }
    if (mine === asked) pending.value = false;
  }
  watch(ruleJson, (json) => {
    clearTimeout(timer);
    if (!ready()) {
      void run(json);
      return;
    }
    pending.value = true;
    timer = setTimeout(() => void run(json), delayMs);
  });
  onScopeDispose(() => clearTimeout(timer));
  const now = () => {
    clearTimeout(timer);
    return run(ruleJson());
  };
  return { preview, error, pending, now };
}
