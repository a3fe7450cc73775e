import { parseSafeXml } from '@bridge/adapter-soap';
for (const x of [
  '<s:Envelope xmlns:s="urn:wrong"><s:Body><a/></s:Body></s:Envelope>',
  '<Envelope><Body><a/></Body></Envelope>',
  '<soap:Envelope><soap:Body><a/></soap:Body></soap:Envelope>',
]) {
  console.log(
    JSON.stringify(parseSafeXml(x)),
    JSON.stringify(parseSafeXml(x, {}, { keepNamespacePrefixes: true })),
  );
}
