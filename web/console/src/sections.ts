import { defineAsyncComponent, type Component } from 'vue';
import type { Role } from './api/types';
import type { MessageKey } from './i18n';
// One chunk per page: ECharts and the builder load only with the pages that use them.
const OverviewView = defineAsyncComponent(() => import('./views/OverviewView.vue'));
const CustomersView = defineAsyncComponent(() => import('./views/CustomersView.vue'));
const CustomerView = defineAsyncComponent(() => import('./views/CustomerView.vue'));
const GroupsView = defineAsyncComponent(() => import('./views/GroupsView.vue'));
const GroupView = defineAsyncComponent(() => import('./views/GroupView.vue'));
const TagsView = defineAsyncComponent(() => import('./views/TagsView.vue'));
const TagView = defineAsyncComponent(() => import('./views/TagView.vue'));
const SegmentsView = defineAsyncComponent(() => import('./views/SegmentsView.vue'));
const SegmentView = defineAsyncComponent(() => import('./views/SegmentView.vue'));
const SyncsView = defineAsyncComponent(() => import('./views/SyncsView.vue'));
const InboxView = defineAsyncComponent(() => import('./views/InboxView.vue'));
const OutboxView = defineAsyncComponent(() => import('./views/OutboxView.vue'));
const MergesView = defineAsyncComponent(() => import('./views/MergesView.vue'));
const AuditView = defineAsyncComponent(() => import('./views/AuditView.vue'));
const ChannelsView = defineAsyncComponent(() => import('./views/ChannelsView.vue'));
const ChannelView = defineAsyncComponent(() => import('./views/ChannelView.vue'));
const AttributesView = defineAsyncComponent(() => import('./views/AttributesView.vue'));
const StaffView = defineAsyncComponent(() => import('./views/StaffView.vue'));
const StaffMemberView = defineAsyncComponent(() => import('./views/StaffMemberView.vue'));
const OperatorsView = defineAsyncComponent(() => import('./views/OperatorsView.vue'));
const WebhooksView = defineAsyncComponent(() => import('./views/WebhooksView.vue'));
const WebhookView = defineAsyncComponent(() => import('./views/WebhookView.vue'));

/**
 * The console's sections; `role` is the least role the API lets read the section (README "Admin API"), so the
 * menu never offers a dead end.
 */
export interface Section {
  path: string;
  label: MessageKey;
  role: Role;
  list: Component;
  item?: Component;
}

export const SECTIONS: Section[] = [
  { path: 'overview', label: 'nav.overview', role: 'viewer', list: OverviewView },
  { path: 'customers', label: 'nav.customers', role: 'viewer', list: CustomersView, item: CustomerView },
  { path: 'groups', label: 'nav.groups', role: 'viewer', list: GroupsView, item: GroupView },
  { path: 'tags', label: 'nav.tags', role: 'viewer', list: TagsView, item: TagView },
  { path: 'segments', label: 'nav.segments', role: 'viewer', list: SegmentsView, item: SegmentView },
  { path: 'channels', label: 'nav.channels', role: 'viewer', list: ChannelsView, item: ChannelView },
  { path: 'attributes', label: 'nav.attributes', role: 'viewer', list: AttributesView },
  { path: 'staff', label: 'nav.staff', role: 'viewer', list: StaffView, item: StaffMemberView },
  { path: 'syncs', label: 'nav.syncs', role: 'viewer', list: SyncsView },
  { path: 'inbox', label: 'nav.inbox', role: 'operator', list: InboxView },
  { path: 'outbox', label: 'nav.outbox', role: 'viewer', list: OutboxView },
  { path: 'webhooks', label: 'nav.webhooks', role: 'operator', list: WebhooksView, item: WebhookView },
  { path: 'identity', label: 'nav.identity', role: 'viewer', list: MergesView },
  { path: 'audit', label: 'nav.audit', role: 'admin', list: AuditView },
  { path: 'operators', label: 'nav.operators', role: 'admin', list: OperatorsView },
];
