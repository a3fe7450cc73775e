import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdapterSpec } from '@bridge/adapter-sdk';
import { compareSides, side } from './replay-compare';
import { redactSecrets } from '../logging';
import { LoggedMessage, StoredDossier } from './replay-source';
import { soapReplayer } from './soap-replayer';
import { parseAgencyYaml } from '../agencies/agency-file-loader';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'adapters', 'soap', 'fixtures');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

function spec(statusNine = 'result_ready'): AdapterSpec {
  const data = parseAgencyYaml('agency.yaml', fixture('agency.example.yaml')).data as {
    adapter: AdapterSpec;
  };
  return { ...data.adapter, statusCodes: { ...data.adapter.statusCodes, '9': statusNine as never } };
}

const logged = (operation: string, body: string, status: string | null): LoggedMessage => ({
  id: '1',
  loggedAt: new Date(),
  direction: 'inbound',
  operation,
  status,
  dossierId: null,
  body,
});

/** Replays one logged SOAP message through two files and returns the outcomes per mapping. */
async function outcomes(message: LoggedMessage, then: AdapterSpec, now: AdapterSpec) {
  const sides = { then: soapReplayer.dialect(then), now: soapReplayer.dialect(now) };
  const replays = await soapReplayer.replays(message, new Map(), sides);
  if (typeof replays === 'string') throw new Error(replays);
  const out: Array<[string, string, unknown]> = [];
  for (const replay of replays) {
    const a = await side(() => replay.run(sides.then));
    const b = await side(() => replay.run(sides.now));
    const compared = compareSides(a, b, false);
    out.push([replay.mapping, compared.outcome, compared.fields]);
  }
  return out;
}

describe('replaying logged SOAP answers', () => {
  it('reads a logged submit answer the same through the same file', async () => {
    const result = await outcomes(
      logged('submit', fixture('responses/nop-ho-so.xml'), '200'),
      spec(),
      spec(),
    );
    expect(result).toEqual([['submitResponse', 'same', []]]);
  });

  it('shows a push whose status a changed table reads differently', async () => {
    const push = logged('callback', fixture('callbacks/cap-nhat-trang-thai.xml'), null);
    expect(await outcomes(push, spec(), spec('completed'))).toEqual([
      ['statusChange', 'changed', [{ path: 'status', then: 'result_ready', now: 'completed' }]],
    ]);
  });

  it('replays the records of a polled page one by one', async () => {
    const page = logged('status', fixture('responses/lay-danh-sach-thay-doi.xml'), '200');
    const result = await outcomes(page, spec(), spec());
    expect(result[0]).toEqual(['pollResponse', 'same', []]);
    expect(result.length).toBeGreaterThan(1);
    // The recorded page holds one record the example file sets aside (golden file): failing both times.
    expect(result.slice(1).map(([mapping, outcome]) => `${mapping} ${outcome}`)).toEqual([
      ...result.slice(2).map(() => 'statusChange same'),
      'statusChange stillFailing',
    ]);
  });

  it('rebuilds a submit envelope from the stored dossier and compares its Body, masked as logged', async () => {
    const submission = JSON.parse(fixture('requests/nop-ho-so.submission.json')) as {
      dossier: StoredDossier['snapshot'];
    };
    const stored: StoredDossier = {
      id: submission.dossier.id,
      agencyDossierCode: null,
      resultItemId: null,
      snapshot: submission.dossier,
    };
    const request: LoggedMessage = {
      ...logged('submit', redactSecrets(fixture('requests/nop-ho-so.expected.xml')), null),
      direction: 'outbound',
      dossierId: stored.id,
    };
    const renamed = spec();
    renamed.mappings = {
      ...renamed.mappings,
      submitRequest: renamed.mappings.submitRequest!.replace('"MaBuuGui"', '"SoBuuGui"'),
    };
    const dossiers = new Map([[stored.id, stored]]);
    const sides = { then: soapReplayer.dialect(spec()), now: soapReplayer.dialect(renamed) };
    const replays = await soapReplayer.replays(request, dossiers, sides);
    if (typeof replays === 'string') throw new Error(replays);
    expect(replays.map((r) => r.mapping)).toEqual(['submitRequest']);
    const [replay] = replays;
    const then = await side(async () => replay.sent);
    const same = compareSides(then, await side(() => replay.run(sides.then)), replay.view!);
    expect(same.outcome).toBe('same');
    expect(same.masked).toEqual(['NopHoSo.HoSo.ChuHoSo.SoCCCD', 'NopHoSo.HoSo.ChuHoSo.SoDienThoai']);
    const changed = compareSides(then, await side(() => replay.run(sides.now)), replay.view!);
    expect(changed.fields).toEqual([
      { path: 'NopHoSo.HoSo.MaBuuGui', then: 'EC136431858VN', now: undefined },
      { path: 'NopHoSo.HoSo.SoBuuGui', then: undefined, now: 'EC136431858VN' },
    ]);
  });
});
