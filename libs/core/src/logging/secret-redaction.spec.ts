import { REDACTED, isSecretName, mayNameSecret, redactSecrets } from './secret-redaction';

describe('redactSecrets', () => {
  it('removes passwords, tokens and keys from JSON but keeps the other fields', () => {
    const body = JSON.stringify({
      username: 'motcua',
      password: 'Mat-Khau@2025',
      access_token: 'eyJhbGciOi.abc.def',
      client_secret: 's3cr3t',
      apiKey: 12345678,
      hoTen: 'Nguyễn Văn An',
    });
    const out = redactSecrets(body);
    expect(out).not.toMatch(/Mat-Khau|eyJhbGciOi|s3cr3t|12345678/);
    expect(JSON.parse(out)).toEqual({
      username: 'motcua',
      password: REDACTED,
      access_token: REDACTED,
      client_secret: REDACTED,
      apiKey: REDACTED,
      hoTen: 'Nguyễn Văn An',
    });
  });

  it('removes the WS-Security password and binary token from a SOAP envelope', () => {
    const soap =
      '<soapenv:Header><wsse:Security><wsse:UsernameToken><wsse:Username>bdhn</wsse:Username>' +
      '<wsse:Password Type="http://docs.oasis-open.org/wss#PasswordText">P@ss&lt;1</wsse:Password>' +
      '</wsse:UsernameToken><wsse:BinarySecurityToken>MIIC+abc==</wsse:BinarySecurityToken>' +
      '</wsse:Security></soapenv:Header><MatKhau><![CDATA[x<y]]></MatKhau>';
    const out = redactSecrets(soap);
    expect(out).not.toMatch(/P@ss|MIIC|x<y/);
    expect(out).toContain(
      `<wsse:Password Type="http://docs.oasis-open.org/wss#PasswordText">${REDACTED}</wsse:Password>`,
    );
    expect(out).toContain('<wsse:Username>bdhn</wsse:Username>');
  });

  it('removes Authorization values, form secrets, bearer tokens, API keys and URL passwords', () => {
    const text = [
      'POST /token HTTP/1.1',
      'Authorization: Basic dXNlcjpwYXNz',
      'x-api-key: k-123',
      '',
      'grant_type=client_credentials&client_id=hn&client_secret=abc123&scope=dossier',
      'called with Bearer eyJ.hdr.sig and pob_AbCdEfGh_0123456789abcdefghijABCDEFGHIJKL',
      'url https://svc:hunter2@motcua.hanoi.gov.vn/api?token=zzz&page=2',
      'password: hunter3',
    ].join('\n');
    const out = redactSecrets(text);
    expect(out).not.toMatch(/dXNlcjpwYXNz|k-123|abc123|eyJ\.hdr|0123456789abcdefghij|hunter2|zzz|hunter3/);
    expect(out).toContain('client_id=hn');
    expect(out).toContain('scope=dossier');
    expect(out).toContain('page=2');
    expect(out).toContain('Authorization: [REDACTED]');
  });

  it('masks citizen ids and phones while redacting', () => {
    const out = redactSecrets('{"soCCCD":"001089012345","dienThoai":"0912345689","password":"x"}');
    expect(out).toBe('{"soCCCD":"0010********","dienThoai":"09******89","password":"[REDACTED]"}');
  });

  it('recognises secret names across naming styles', () => {
    for (const name of [
      'password',
      'wsse:Password',
      'client_secret',
      'X-Api-Key',
      'accessToken',
      'matKhau',
    ]) {
      expect(isSecretName(name)).toBe(true);
    }
    for (const name of ['username', 'hoTen', 'maHoSo', 'status']) expect(isSecretName(name)).toBe(false);
  });

  it('looks for named secrets whenever a secret name appears, in any naming style or markup', () => {
    const names = [
      'password',
      'wsse:Password',
      'client_secret',
      'X-Api-Key',
      'access.Token',
      'Mat_Khau',
      'api key',
    ];
    for (const name of names) {
      expect(isSecretName(name)).toBe(true);
      for (const body of [
        `{"${name}":"hunter2"}`,
        `<${name}>hunter2</${name}>`,
        `<x ${name}="hunter2"/>`,
        `${name}: hunter2`,
        `${name}=hunter2&a=b`,
      ])
        expect(mayNameSecret(body)).toBe(true);
      // The named rules run on such bodies and redact.
      expect(redactSecrets(`{"${name}":"hunter2"}`)).not.toContain('hunter2');
    }
    expect(mayNameSecret('{"maHoSo":"HS-1","hoTen":"Nguyễn Văn An"}')).toBe(false);
  });

  it('redacts bearer tokens, bridge keys and URL passwords in bodies that name no secret', () => {
    const body =
      'call https://user:hunter2@agency.example/api with Bearer abc.def.ghi and key pob_ABCDEFGH_0123456789abcdef0123456789ABCDEF';
    expect(mayNameSecret(body)).toBe(false);
    const out = redactSecrets(body);
    for (const secret of ['hunter2', 'abc.def.ghi', 'pob_ABCDEFGH']) expect(out).not.toContain(secret);
  });
});
