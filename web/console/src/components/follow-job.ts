import type { Ref } from 'vue';
import { api } from '../api/http';
import type { BulkJob } from '../api/types';

/** Follows a bulk job (`GET /bulk-jobs/:id`) to its end, once a second, while `alive()`; resolves with the last state. */
export async function followJob(jobId: string, into: Ref<BulkJob | null>, alive: () => boolean): Promise<BulkJob> {
  for (;;) {
    const job = await api<BulkJob>(`/bulk-jobs/${encodeURIComponent(jobId)}`);
    into.value = job;
    if (job.status !== 'queued' && job.status !== 'running') return job;
    if (!alive()) return job;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
