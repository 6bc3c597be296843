/** A consent as the API, the profile and the data bundle show it (DESIGN §12, §13). `channel` null: everywhere. */
export interface ConsentJson {
  purpose: string;
  channel: string | null;
  granted: boolean;
  source: string;
  at: string;
}
