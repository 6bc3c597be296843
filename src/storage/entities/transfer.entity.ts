import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type TransferKind = 'on-job' | 'resigned';
export type TransferItemStatus = 'waiting' | 'done' | 'refused' | 'failed';

/** One WeCom customer transfer request between two members (DESIGN §10.3); `running` until every item is final. */
export interface TransferRow {
  id: string;
  corpId: string;
  kind: TransferKind;
  fromUserid: string;
  toUserid: string;
  message: string | null;
  status: 'running' | 'done';
  total: number;
  createdBy: string | null;
  /** When the poll job next reads transfer_result for it. */
  nextPollAt: Date;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One customer of a transfer, with WeChat's errcode when it refused to start and the polled status. */
export interface TransferItemRow {
  id: string;
  transferId: string;
  corpId: string;
  fromUserid: string;
  externalUserid: string;
  customerId: string | null;
  status: TransferItemStatus;
  reason: string | null;
  errcode: number | null;
  takeoverAt: Date | null;
  updatedAt: Date;
}

export const TransferEntity = new EntitySchema<TransferRow>({
  name: 'Transfer',
  tableName: 'transfers',
  columns: {
    id: col.id(),
    corpId: col.key('corp_id', 64),
    kind: col.key('kind', 16),
    fromUserid: col.key('from_userid', 64),
    toUserid: col.key('to_userid', 64),
    message: col.str('message', 255, true),
    status: col.key('status', 16),
    total: col.int('total'),
    createdBy: col.key('created_by', 128, { nullable: true }),
    nextPollAt: col.time('next_poll_at'),
    finishedAt: col.time('finished_at', true),
    createdAt: col.timeNow('created_at'),
    updatedAt: col.timeNow('updated_at'),
  },
  indices: [
    { name: 'idx_transfers_due', columns: ['status', 'nextPollAt'] },
    { name: 'idx_transfers_corp', columns: ['corpId', 'createdAt'] },
  ],
});

export const TransferItemEntity = new EntitySchema<TransferItemRow>({
  name: 'TransferItem',
  tableName: 'transfer_items',
  columns: {
    id: col.id(),
    transferId: col.ref('transfer_id'),
    corpId: col.key('corp_id', 64),
    fromUserid: col.key('from_userid', 64),
    externalUserid: col.key('external_userid', 64),
    customerId: col.key('customer_id', 36, { nullable: true }),
    status: col.key('status', 16),
    reason: col.key('reason', 64, { nullable: true }),
    errcode: col.int('errcode', { nullable: true }),
    takeoverAt: col.time('takeover_at', true),
    updatedAt: col.timeNow('updated_at'),
  },
  uniques: [{ name: 'uq_transfer_items_customer', columns: ['transferId', 'externalUserid'] }],
  indices: [{ name: 'idx_transfer_items_relation', columns: ['corpId', 'externalUserid', 'status'] }],
});
