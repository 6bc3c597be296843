/**
 * Custom fields and notes as the API shows them (DESIGN §10.4, §13). The console and the sidebar import these
 * through `@server`; this file imports nothing, so the browser build can use it.
 */

export type AttributeTypeJson = 'text' | 'number' | 'date' | 'bool' | 'enum' | 'multiEnum';
export type AttributeEditorJson = 'operator' | 'staff';
export type AttributeSourceJson = 'manual' | 'staff' | 'import' | 'api' | 'wechat';

/** A value: text, a number, `YYYY-MM-DD`, a boolean, an option, or a list of options; masked text for viewers. */
export type AttributeValueJson = string | number | boolean | string[];

/** `GET/POST /api/v1/attributes`, `PATCH /api/v1/attributes/:key`. */
export interface AttributeDefinitionJson {
  key: string;
  label: { 'zh-CN': string; en: string };
  type: AttributeTypeJson;
  options?: string[];
  pii: boolean;
  /** Besides admins, who may change values: operators (console, API) and `staff` (the sidebar). */
  editableBy: AttributeEditorJson[];
  createdAt: string;
  updatedAt: string;
}

export interface AttributeDefinitionListJson {
  items: AttributeDefinitionJson[];
}

/** `PATCH /api/v1/customers/:id/attributes` and the profile's `attributes`: key → value. */
export type CustomerAttributesJson = Record<string, AttributeValueJson>;

/** Where each value came from, who set it and when (the profile's `attributeSources`). */
export type CustomerAttributeSourcesJson = Record<
  string,
  { source: AttributeSourceJson; by: string | null; at: string }
>;

/** `POST /api/v1/customers/:id/notes` (201), and each item of `GET` and the profile's `notes`. */
export interface CustomerNoteJson {
  id: string;
  text: string;
  author: string;
  authorKind: 'operator' | 'staff';
  createdAt: string;
}

export interface CustomerNotePageJson {
  items: CustomerNoteJson[];
  nextCursor: string | null;
}
