import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { api } from '../api/http';
import type { SegmentPreview } from '../api/types';

/**
 * The live count: each change of the rule is previewed (`POST /segments/:id/preview` with the draft) once the
 * editing pauses, and only the answer to the latest draft is shown.
 */
export function useLiveCount(segmentId: Ref<string | null>, ruleJson: () => string, delayMs = 400) {
  const preview = ref<SegmentPreview | null>(null);
  const error = ref<unknown>(null);
  const pending = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  async function run(json: string): Promise<void> {
    const id = segmentId.value;
    if (!id) return;
    const mine = ++asked;
    pending.value = true;
    try {
      const r = await api<SegmentPreview>(`/segments/${encodeURIComponent(id)}/preview`, { method: 'POST', body: { rule: JSON.parse(json) } });
      if (mine === asked) {
        preview.value = r;
        error.value = null;
      }
    } catch (e) {
      if (mine === asked) error.value = e;
    } finally {
      if (mine === asked) pending.value = false;
    }
  }
  watch(ruleJson, (json) => {
    clearTimeout(timer);
    if (!segmentId.value) return;
    pending.value = true;
    timer = setTimeout(() => void run(json), delayMs);
  });
  onBeforeUnmount(() => clearTimeout(timer));
  return { preview, error, pending, now: () => run(ruleJson()) };
}
