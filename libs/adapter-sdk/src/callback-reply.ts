import { InboundCallback } from './agency-adapter';

/**
 * How an agency's push ended, as the bridge tells the kind that frames the answer. The bridge
 * decides who was at fault; the kind decides how its protocol says so.
 */
export type CallbackResult =
  | { ok: true; /** How many status changes were applied. */ accepted: number }
  | {
      ok: false;
      /** `sender`: the push itself was wrong (the agency must fix it); `receiver`: the bridge was. */
      blame: 'sender' | 'receiver';
      /** Safe to show the agency: never SQL, stacks or another agency's data. */
      message: string;
      /**
       * An HTTP status the bridge requires whatever the protocol's own fault status would be,
       * e.g. 403 for a push naming another agency's dossier.
       */
      status?: number;
    };

/** The answer to a push in the agency's own protocol; the bridge sends it unchanged. */
export interface CallbackReply {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Frames the answer to a push (success and fault) for kinds whose agencies expect more than the
 * bridge's JSON, e.g. a SOAP envelope or fault. It sees only the request's headers, because the
 * answer must be framed even when the agency or its adapter could not be found.
 */
export type CallbackReplyFramer = (
  callback: Pick<InboundCallback, 'headers' | 'contentType'>,
  result: CallbackResult,
) => CallbackReply;
