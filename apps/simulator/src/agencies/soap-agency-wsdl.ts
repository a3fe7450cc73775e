import { VENDOR_A_NAMESPACE, VENDOR_A_OPERATIONS } from './soap-agency-dialect';

const part = (name: string, fields: string) =>
  `      <s:element name="${name}"><s:complexType><s:sequence>${fields}</s:sequence></s:complexType></s:element>`;
const text = (name: string, min = 0) =>
  `<s:element minOccurs="${min}" maxOccurs="1" name="${name}" type="s:string"/>`;
const any = (name: string) => `<s:element minOccurs="0" maxOccurs="1" name="${name}"/>`;

const TYPES = [
  part('NopHoSo', any('HoSo')),
  part('NopHoSoResponse', any('NopHoSoResult')),
  part('TraCuuHoSo', text('MaHoSoLienThong', 1)),
  part('TraCuuHoSoResponse', any('TraCuuHoSoResult')),
  part('BoSungHoSo', text('MaHoSo', 1) + text('MaGiaoDich') + any('DanhSachGiayTo') + text('NgayBoSung')),
  part('BoSungHoSoResponse', any('BoSungHoSoResult')),
  part('XacNhanTraKetQua', text('MaHoSo', 1) + text('MaGiaoDich') + text('MaBuuGui') + text('NgayTra')),
  part('XacNhanTraKetQuaResponse', any('XacNhanTraKetQuaResult')),
  part('LayDanhSachThayDoi', text('TuMoc')),
  part('LayDanhSachThayDoiResponse', any('LayDanhSachThayDoiResult')),
  part('KiemTraKetNoi', ''),
  part('KiemTraKetNoiResponse', any('KiemTraKetNoiResult')),
].join('\n');

function binding(name: string, soapPrefix: 'soap' | 'soap12'): string {
  const operations = VENDOR_A_OPERATIONS.map(
    (op) => `    <wsdl:operation name="${op}">
      <${soapPrefix}:operation soapAction="${VENDOR_A_NAMESPACE}/${op}" style="document"/>
      <wsdl:input><${soapPrefix}:body use="literal"/></wsdl:input>
      <wsdl:output><${soapPrefix}:body use="literal"/></wsdl:output>
    </wsdl:operation>`,
  ).join('\n');
  return `  <wsdl:binding name="${name}" type="tns:LienThongSoap">
    <${soapPrefix}:binding transport="http://schemas.xmlsoap.org/soap/http"/>
${operations}
  </wsdl:binding>`;
}

/**
 * Vendor A's WSDL, as its ASP.NET service publishes it at `?wsdl`: document/literal with a
 * SOAP 1.1 and a SOAP 1.2 port on the same address.
 */
export function vendorAWsdl(location: string): string {
  const messages = VENDOR_A_OPERATIONS.flatMap((op) => [
    `  <wsdl:message name="${op}SoapIn"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>`,
    `  <wsdl:message name="${op}SoapOut"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`,
  ]).join('\n');
  const portOperations = VENDOR_A_OPERATIONS.map(
    (op) => `    <wsdl:operation name="${op}">
      <wsdl:input message="tns:${op}SoapIn"/>
      <wsdl:output message="tns:${op}SoapOut"/>
    </wsdl:operation>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:tns="${VENDOR_A_NAMESPACE}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="${VENDOR_A_NAMESPACE}">
  <wsdl:documentation>Dịch vụ liên thông hồ sơ một cửa - Nhà cung cấp A</wsdl:documentation>
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="${VENDOR_A_NAMESPACE}">
${TYPES}
    </s:schema>
  </wsdl:types>
${messages}
  <wsdl:portType name="LienThongSoap">
${portOperations}
  </wsdl:portType>
${binding('LienThongSoap', 'soap')}
${binding('LienThongSoap12', 'soap12')}
  <wsdl:service name="LienThong">
    <wsdl:port name="LienThongSoap" binding="tns:LienThongSoap">
      <soap:address location="${location}"/>
    </wsdl:port>
    <wsdl:port name="LienThongSoap12" binding="tns:LienThongSoap12">
      <soap12:address location="${location}"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
