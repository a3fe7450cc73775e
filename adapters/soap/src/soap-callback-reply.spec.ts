import { parseSafeXml } from './safe-xml-reader';
import { soapCallbackReply } from './soap-callback-reply';
import { readEnvelope } from './soap-envelope';

const soap11 = { headers: {}, contentType: 'text/xml; charset=utf-8' };
const soap12 = { headers: {}, contentType: 'application/soap+xml; charset=utf-8' };

describe('soapCallbackReply', () => {
  it('answers an accepted push with the count, in the version it came in', () => {
    const reply = soapCallbackReply(soap12, { ok: true, accepted: 3 });
    expect({ status: reply.status, contentType: reply.contentType }).toEqual({
      status: 200,
      contentType: 'application/soap+xml; charset=utf-8',
    });
    expect(reply.body).toContain('<b:Accepted>3</b:Accepted>');
    expect(reply.body).toContain('http://www.w3.org/2003/05/soap-envelope');
  });

  it("frames the agency's mistakes as Client (1.1, 500) or Sender (1.2, 400) faults", () => {
    const r11 = soapCallbackReply(soap11, { ok: false, blame: 'sender', message: 'thiếu MaHoSo' });
    const r12 = soapCallbackReply(soap12, { ok: false, blame: 'sender', message: 'thiếu MaHoSo' });
    expect([r11.status, r12.status]).toEqual([500, 400]);
    expect(readEnvelope(parseSafeXml(r11.body)).fault).toMatchObject({
      code: 'Client',
      message: 'thiếu MaHoSo',
    });
    expect(readEnvelope(parseSafeXml(r12.body)).fault).toMatchObject({
      code: 'Sender',
      message: 'thiếu MaHoSo',
    });
  });

  it("frames the bridge's own failures as Server/Receiver and keeps a status the bridge requires", () => {
    const ours = soapCallbackReply(soap12, { ok: false, blame: 'receiver', message: 'send it again' });
    expect(ours.status).toBe(500);
    expect(readEnvelope(parseSafeXml(ours.body)).fault?.code).toBe('Receiver');
    const foreign = soapCallbackReply(soap11, {
      ok: false,
      blame: 'sender',
      message: 'not yours',
      status: 403,
    });
    expect(foreign.status).toBe(403);
    expect(readEnvelope(parseSafeXml(foreign.body)).fault?.code).toBe('Client');
  });
});
