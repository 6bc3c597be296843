import { defineErrcodes } from '../common/http/errcode-table';

/**
 * WeCom errcodes (wechat-api.md §5.13). 45009 is WeCom's frequency limit for every window (minute, hour, day);
 * the block lasts as long as the window, at least 60 s, longer than a call's retry budget, so it is left to
 * queues that reschedule (retryAfterSeconds) rather than retried in place. 50001 means "redirect domain not
 * trusted" here, not the OA "user unauthorized".
 * https://developer.work.weixin.qq.com/document/path/90313
 */
export const WECOM_ERRCODES = defineErrcodes({
  [-1]: { category: 'TEMPORARY', retryable: true },
  40001: 'AUTH_FAILED', // invalid secret (gettoken)
  40013: 'AUTH_FAILED', // invalid corpid
  40091: 'AUTH_FAILED', // secret invalid / of another corp
  60020: 'AUTH_FAILED', // IP not in whitelist
  40014: 'TOKEN_EXPIRED',
  42001: 'TOKEN_EXPIRED',
  40003: 'NOT_FOUND', // invalid UserID
  60111: 'NOT_FOUND', // UserID does not exist
  40096: 'RELATION_GONE', // invalid external_userid: no such contact in this corp
  84061: 'RELATION_GONE', // no external-contact relationship
  40068: 'TAG_GONE', // invalid tag id
  40050: 'NOT_FOUND', // invalid group chat id (groupchat/get)
  49008: 'NOT_FOUND', // the group was dismissed
  40029: 'INVALID_CODE',
  41050: 'INVALID_CODE', // welcome code expired (20 s) or unknown
  41051: 'INVALID_CODE', // welcome code already used, or the customer already chats with the member
  41049: 'INVALID_REQUEST', // welcome_code missing
  41053: 'PERMISSION_DENIED', // the customer has not accepted the chat-archive notice: no welcome may be sent
  41096: 'CONFLICT', // a welcome is already being sent with this code
  41064: 'INVALID_REQUEST', // more than 9 welcome attachments
  41065: 'INVALID_REQUEST', // welcome attachment msgtype does not match its object
  41037: 'INVALID_REQUEST', // contact way: type missing
  41038: 'INVALID_REQUEST', // contact way: scene missing
  41039: 'INVALID_REQUEST', // contact way: type invalid
  41040: 'INVALID_REQUEST', // contact way: scene invalid
  41041: 'LIMIT_EXCEEDED', // contact way: more than 100 members, departments expanded
  41042: 'INVALID_REQUEST', // contact way: style invalid
  41043: 'INVALID_REQUEST', // contact way: config_id missing
  41044: 'NOT_FOUND', // contact way: config_id unknown or deleted
  41045: 'LIMIT_EXCEEDED', // contact way: the corp's API-created quota is used up
  41054: 'PERMISSION_DENIED', // contact way: member not activated or not verified
  60123: 'NOT_FOUND', // invalid department id
  40097: 'CONFLICT', // resigned transfer: the handover has not left
  40100: 'CONFLICT', // resigned transfer: the customer is already being handed over
  40128: 'LIMIT_EXCEEDED', // in-service transfer: the customer was transferred twice in 90 days
  40129: 'CONFLICT', // in-service transfer: the customer is already being transferred
  40130: 'INVALID_REQUEST', // transfer: handover and takeover are the same member
  40131: 'RELATION_GONE', // transfer: the handover does not follow the customer
  40058: 'INVALID_REQUEST',
  40063: 'INVALID_REQUEST',
  40032: 'INVALID_REQUEST',
  41001: 'INVALID_REQUEST',
  41035: 'INVALID_REQUEST',
  43002: 'INVALID_REQUEST',
  47001: 'INVALID_REQUEST',
  50100: 'CURSOR_EXPIRED', // invalid paging cursor: restart the walk
  40071: 'CONFLICT', // tag name already exists
  40072: 'INVALID_REQUEST', // tag name length
  40126: 'LIMIT_EXCEEDED', // corp tag cap
  81017: 'FILTER_REQUIRED', // groupchat/list without owner_filter over more than 1000 visible people: filter by owner
  42012: 'INVALID_REQUEST', // corp ticket used for agentConfig
  45009: { category: 'RATE_LIMITED', retryAfterSeconds: 60 },
  45033: { category: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 1 },
  48002: 'PERMISSION_DENIED',
  60011: 'PERMISSION_DENIED',
  50001: 'PERMISSION_DENIED',
});
