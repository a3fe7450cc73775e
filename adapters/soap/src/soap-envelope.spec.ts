import { parseSafeXml } from './safe-xml-reader';
import {
  envelopeNamespaceProblem,
  readEnvelope,
  SOAP_ENVELOPE_NS,
  SoapEnvelopeBuilder,
  SoapVersion,
} from './soap-envelope';
import { buildSoapFault, buildSoapResponse, faultHttpStatus, soapVersionFromContentType } from './soap-fault';
import { UnsafeXmlError } from './unsafe-xml-error';
import { buildUsernameTokenHeader } from './ws-security';

const NS = 'http://motcua.vendor-a.vn/lienthong/2019';
const content = {
  HoSo: {
    MaHoSoLienThong: '5b0e8a51-4c1f-4a57-9d3e-2f0c8e6b7a10',
    ChuHoSo: { HoTen: 'Trần Thị Ánh & Con', SoCCCD: '048185000123' },
    TaiLieu: [{ TenTaiLieu: 'Tờ khai <bản chính>' }, { TenTaiLieu: 'Giấy chứng sinh' }],
    GhiChu: { '@_ngonNgu': 'vi', '#text': 'Khẩn' },
  },
};

describe('SOAP envelopes', () => {
  it.each<[SoapVersion]>([['1.1'], ['1.2']])(
    'SOAP %s: what is built reads back to the same content',
    (version) => {
      const xml = new SoapEnvelopeBuilder({ version, namespace: NS }).build('NopHoSo', content);
      expect(xml).toContain(`xmlns:soap="${SOAP_ENVELOPE_NS[version]}"`);
      expect(xml).toContain(`<tns:NopHoSo xmlns="${NS}">`);
      const parsed = readEnvelope(parseSafeXml(xml));
      expect(parsed.fault).toBeUndefined();
      expect(parsed.body).toEqual({ NopHoSo: content });
    },
  );

  it('puts only the operation element in the namespace when elements are unqualified, with the chosen prefix', () => {
    const xml = new SoapEnvelopeBuilder({
      version: '1.1',
      namespace: NS,
      prefix: 'lt',
      elementForm: 'unqualified',
    }).build('TraCuuHoSo', { MaHoSoLienThong: 'abc' });
    expect(xml).toContain(`xmlns:lt="${NS}"`);
    expect(xml).toContain('<lt:TraCuuHoSo><MaHoSoLienThong>abc</MaHoSoLienThong></lt:TraCuuHoSo>');
  });

  it('carries a WS-Security header in the SOAP Header', () => {
    const header = buildUsernameTokenHeader(
      { username: 'u', password: 'p' },
      new Date('2025-09-16T02:00:00Z'),
    );
    const parsed = readEnvelope(
      parseSafeXml(new SoapEnvelopeBuilder({ version: '1.2', namespace: NS }).build('A', {}, header)),
    );
    expect(parsed.header).toMatchObject({
      Security: { UsernameToken: { Username: 'u', Created: '2025-09-16T02:00:00.000Z' } },
    });
  });

  it('refuses a document that is not an envelope, or an envelope without Body', () => {
    expect(() => readEnvelope(parseSafeXml('<html><body>Lỗi</body></html>'))).toThrow(
      /not a SOAP envelope .*<html>/,
    );
    const noBody = `<soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NS['1.1']}"><soap:Header/></soap:Envelope>`;
    expect(() => readEnvelope(parseSafeXml(noBody))).toThrow(UnsafeXmlError);
    expect(() => readEnvelope(parseSafeXml(noBody))).toThrow('the SOAP envelope has no Body');
  });

  it('reads 1.1 and 1.2 faults alike, subcodes included', () => {
    const f11 = buildSoapFault('1.1', 'Client', 'Thiếu trường MaTTHC').replace(
      'soap:Client',
      'soap:Client.Validation',
    );
    expect(readEnvelope(parseSafeXml(f11)).fault).toEqual({
      code: 'Client',
      subcode: 'Validation',
      message: 'Thiếu trường MaTTHC',
      detail: undefined,
    });
    const f12 = `<env:Envelope xmlns:env="${SOAP_ENVELOPE_NS['1.2']}"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>wsse:FailedAuthentication</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="vi">Sai mật khẩu</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`;
    expect(readEnvelope(parseSafeXml(f12)).fault).toEqual({
      code: 'Sender',
      subcode: 'FailedAuthentication',
      message: 'Sai mật khẩu',
      detail: undefined,
    });
  });

  it('builds faults in each version’s vocabulary with the matching HTTP status', () => {
    expect(readEnvelope(parseSafeXml(buildSoapFault('1.2', 'Client', 'x'))).fault?.code).toBe('Sender');
    expect(readEnvelope(parseSafeXml(buildSoapFault('1.1', 'Receiver', 'x'))).fault?.code).toBe('Server');
    expect([
      faultHttpStatus('1.2', 'Client'),
      faultHttpStatus('1.1', 'Client'),
      faultHttpStatus('1.2', 'Server'),
    ]).toEqual([400, 500, 500]);
  });

  it('builds push replies and tells the version from the content type', () => {
    const reply = readEnvelope(
      parseSafeXml(buildSoapResponse('1.1', NS, 'CapNhatTrangThaiResponse', { KetQua: '0' })),
    );
    expect(reply.body).toEqual({ CapNhatTrangThaiResponse: { KetQua: '0' } });
    expect(soapVersionFromContentType('application/soap+xml; charset=utf-8; action="x"')).toBe('1.2');
    expect(soapVersionFromContentType('text/xml; charset=utf-8')).toBe('1.1');
  });
});

describe('envelopeNamespaceProblem', () => {
  it('accepts an Envelope in either SOAP namespace, prefixed or default, after a declaration', () => {
    for (const ns of Object.values(SOAP_ENVELOPE_NS)) {
      expect(
        envelopeNamespaceProblem(`<?xml version="1.0"?><s:Envelope xmlns:s='${ns}'><s:Body/></s:Envelope>`),
      ).toBeNull();
      expect(envelopeNamespaceProblem(`<!-- c --><Envelope xmlns="${ns}"><Body/></Envelope>`)).toBeNull();
    }
  });

  it('names the foreign namespace, or the undeclared prefix', () => {
    expect(envelopeNamespaceProblem('<s:Envelope xmlns:s="urn:x"><s:Body/></s:Envelope>')).toMatch(
      /^the Envelope element is in namespace "urn:x"; expected http:\/\/schemas.xmlsoap.org/,
    );
    expect(envelopeNamespaceProblem('<s:Envelope xmlns:t="urn:x"><s:Body/></s:Envelope>')).toMatch(
      /in no namespace \(prefix "s" is not declared\)/,
    );
    expect(envelopeNamespaceProblem('<Envelope><Body/></Envelope>')).toMatch(
      /^the Envelope element is in no namespace;/,
    );
  });
});
