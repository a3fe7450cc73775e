import { parse } from 'yaml';
import { importWsdl } from './wsdl-import';
import { soapFixture } from './soap-test-kit';

describe('importWsdl', () => {
  const vendorA = soapFixture('wsdl/lien-thong-vendor-a.wsdl');

  it('writes the reviewed starting agency file for vendor A (golden)', () => {
    const result = importWsdl(vendorA, { agencyCode: '000.00.53.H48', agencyName: 'UBND phường Hải Châu' });
    expect(result.yaml).toBe(soapFixture('wsdl/lien-thong-vendor-a.expected.yaml'));
  });

  it('places each Vietnamese operation name in its role and warns about the unused SOAP 1.2 port', () => {
    const result = importWsdl(vendorA, { agencyCode: '000.00.53.H48' });
    expect(Object.fromEntries(result.operations.map((o) => [o.name, o.role]))).toEqual({
      NopHoSo: 'submit',
      TraCuuHoSo: 'lookup',
      BoSungHoSo: 'supplement',
      XacNhanTraKetQua: 'delivered',
      LayDanhSachThayDoi: 'status',
      KiemTraKetNoi: 'probe',
    });
    expect(result.warnings).toEqual([
      'the WSDL has several ports; used LienThongSoap, not LienThongSoap12 (SOAP 1.2)',
    ]);
    const file = parse(result.yaml);
    expect(file.name).toBe('LienThong');
    expect(file.adapter).toMatchObject({
      kind: 'soap',
      endpoint: 'https://motcua.haichau.danang.gov.vn/LienThong.asmx',
      options: { soapVersion: '1.1', namespace: 'http://motcua.vendor-a.vn/lienthong/2019' },
    });
  });

  it('reads a SOAP 1.2 WSDL and names the request elements of document/literal operations', () => {
    const result = importWsdl(soapFixture('third-party/dich-vu-cong-tinh.wsdl'), {
      agencyCode: '000.25.48.H48',
    });
    const options = parse(result.yaml).adapter.options;
    expect(options.soapVersion).toBe('1.2');
    expect(options.operations.submit).toEqual({
      name: 'TiepNhanHoSoRequest',
      soapAction: 'urn:dvc:tinh:buuchinh:v1#TiepNhanHoSo',
    });
    expect(options.operations.status.name).toBe('LayTrangThaiThayDoiRequest');
    expect(options.operations.probe).toBeUndefined();
  });

  it('warns about operations it cannot place and roles nobody plays', () => {
    const renamed = vendorA.replace(/NopHoSo/g, 'XuLyHoSo').replace(/TraCuuHoSo/g, 'ThongTinHoSo');
    const result = importWsdl(renamed, { agencyCode: '000.00.53.H48' });
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        'operation XuLyHoSo: no role guessed from its name; place it by hand if the bridge needs it',
        'no operation looks like "submit"; name it in options.operations.submit',
        'no operation looks like "lookup"; name it in options.operations.lookup',
      ]),
    );
    expect(result.yaml).toContain('# Operations not placed: XuLyHoSo, ThongTinHoSo.');
  });

  it('refuses a WSDL with a DOCTYPE, a WSDL 2.0 document and a document without SOAP ports', () => {
    expect(() =>
      importWsdl(`<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${vendorA.slice(39)}`, {
        agencyCode: 'x',
      }),
    ).toThrow(/DOCTYPE/);
    expect(() => importWsdl('<description xmlns="http://www.w3.org/ns/wsdl"/>', { agencyCode: 'x' })).toThrow(
      /WSDL 2.0/,
    );
    const noPorts = vendorA.replace(/<wsdl:service[\s\S]*<\/wsdl:service>/, '');
    expect(() => importWsdl(noPorts, { agencyCode: 'x' })).toThrow(
      'the WSDL has no service port with a soap:address or soap12:address',
    );
  });
});
