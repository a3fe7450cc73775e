import { PostalEventType } from '../event-types';
import {
  ADDRESS,
  AGENCY_CODE,
  APPLICANT,
  DOCUMENTS,
  FEES,
  ITEM_ID,
  NON_EMPTY_TEXT,
  PROCEDURE_CODE,
  SERVICE_OPTION,
  TIMESTAMP,
} from './common-schemas';
import { JsonSchema, strictObject } from './json-schema';

/** `data` of `postal.dossier.collected` (PostalDossierCollectedData): the whole dossier. */
export const POSTAL_DOSSIER_COLLECTED_DATA_SCHEMA = strictObject(
  {
    itemId: ITEM_ID,
    agencyCode: AGENCY_CODE,
    procedureCode: PROCEDURE_CODE,
    serviceOption: SERVICE_OPTION,
    applicant: APPLICANT,
    returnAddress: ADDRESS,
    documents: { ...DOCUMENTS, minItems: 1, description: 'a list of at least one document' },
    fees: FEES,
    office: NON_EMPTY_TEXT,
    at: TIMESTAMP,
  },
  ['itemId', 'agencyCode', 'procedureCode', 'serviceOption', 'applicant', 'documents', 'fees', 'at'],
);

/**
 * `data` of every other postal event (PostalDossierRefData). The dossier is named by the
 * post's item id or by a reference the post holds; one of them is enough, none is an error.
 */
export const POSTAL_DOSSIER_REF_DATA_SCHEMA = strictObject(
  {
    itemId: ITEM_ID,
    dossierRef: NON_EMPTY_TEXT,
    resultItemId: ITEM_ID,
    reason: NON_EMPTY_TEXT,
    handoverRecord: NON_EMPTY_TEXT,
    documents: DOCUMENTS,
    office: NON_EMPTY_TEXT,
    at: TIMESTAMP,
  },
  ['at'],
  {
    // Wrapped so the validator can quote the description instead of the branches' errors.
    allOf: [
      {
        description: 'an object naming its dossier by itemId or dossierRef (at least one is required)',
        anyOf: [{ required: ['itemId'] }, { required: ['dossierRef'] }],
      },
    ],
  },
);

/** `data` schema of every postal event type. */
export const POSTAL_EVENT_DATA_SCHEMAS: Readonly<Record<PostalEventType, JsonSchema>> = {
  'postal.dossier.collected': POSTAL_DOSSIER_COLLECTED_DATA_SCHEMA,
  'postal.dossier.handed_over': POSTAL_DOSSIER_REF_DATA_SCHEMA,
  'postal.supplement.collected': POSTAL_DOSSIER_REF_DATA_SCHEMA,
  'postal.result.collected': POSTAL_DOSSIER_REF_DATA_SCHEMA,
  'postal.result.delivered': POSTAL_DOSSIER_REF_DATA_SCHEMA,
  'postal.result.delivery_failed': POSTAL_DOSSIER_REF_DATA_SCHEMA,
  'postal.dossier.cancelled': POSTAL_DOSSIER_REF_DATA_SCHEMA,
};
