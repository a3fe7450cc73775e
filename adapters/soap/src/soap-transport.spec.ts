import { SoapEnvelopeBuilder } from './soap-envelope';
import { redactEnvelope } from './soap-transport';
import { buildUsernameTokenHeader } from './ws-security';

const CREDENTIALS = { username: 'buudien.haichau', password: 'Mật-khẩu-2025' };
const builder = new SoapEnvelopeBuilder({ version: '1.1', namespace: 'urn:x' });

describe('redactEnvelope', () => {
  it.each(['PasswordText', 'PasswordDigest'] as const)(
    'hides the %s password and the nonce of a UsernameToken, keeping the user name',
    (passwordType) => {
      const header = buildUsernameTokenHeader({ ...CREDENTIALS, passwordType });
      const logged = redactEnvelope(builder.build('NopHoSo', { MaHoSo: 'HS-1' }, header));
      expect(logged).toMatch(/<wsse:Password Type="[^"]+">\*\*\*<\/wsse:Password>/);
      expect(logged).toMatch(/<wsse:Nonce EncodingType="[^"]+">\*\*\*<\/wsse:Nonce>/);
      expect(logged).not.toContain(CREDENTIALS.password);
      expect(logged).toContain('<wsse:Username>buudien.haichau</wsse:Username>');
      expect(logged).toContain('<MaHoSo>HS-1</MaHoSo>');
    },
  );

  it('hides unprefixed Password elements too', () => {
    expect(redactEnvelope('<a><Password>secret</Password><Nonce>n</Nonce></a>')).toBe(
      '<a><Password>***</Password><Nonce>***</Nonce></a>',
    );
  });

  it('returns a message without credentials exactly as it was', () => {
    const xml = builder.build('NopHoSo', { MaHoSo: 'HS-1', GhiChu: 'Mật khẩu đã đổi' });
    expect(redactEnvelope(xml)).toBe(xml);
  });
});
