/**
 * A CloudEvents 1.0 structured-mode JSON document: every message on `postal.inbound`
 * and `bridge.events`.
 */
export interface CloudEvent<T = unknown, Type extends string = string> {
  specversion: '1.0';
  id: string;
  source: string;
  type: Type;
  /** For dossier events: the bridge id of the dossier. */
  subject?: string;
  /** RFC 3339 timestamp. */
  time: string;
  datacontenttype: 'application/json';
  /** Optional extension: the id that ties a postal event to every job and event it causes. */
  correlationid?: string;
  data: T;
}
