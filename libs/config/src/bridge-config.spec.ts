import { ConfigError, loadConfig } from './bridge-config';
import { agencyFilesSettings } from './agency-files-settings';

describe('loadConfig', () => {
  it('starts on the local services with no environment at all', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toContain('127.0.0.1:5432');
    expect(config.redisUrl).toContain('127.0.0.1:6379');
    expect(config.amqpUrl).toContain('127.0.0.1:5672');
    expect(config.bootstrapAdminKey).toBeUndefined();
    expect(config.stuckDossierAfterMs).toBe(10 * 60_000);
    expect(config.stuckDossierSweepMs).toBe(60_000);
  });

  it('takes the stuck-dossier threshold and sweep interval from the environment', () => {
    const config = loadConfig({
      BRIDGE_STUCK_DOSSIER_AFTER_MS: '2000',
      BRIDGE_STUCK_DOSSIER_SWEEP_MS: '500',
    });
    expect(config.stuckDossierAfterMs).toBe(2000);
    expect(config.stuckDossierSweepMs).toBe(500);
  });

  it.each([
    ['PORT', 'eighty', /PORT must be an integer/],
    ['PORT', '70000', /PORT must be an integer/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a postgres/],
    ['REDIS_URL', 'not a url', /REDIS_URL is not a valid URL/],
    ['AMQP_URL', 'http://rabbit', /AMQP_URL must be a amqp or amqps URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['BRIDGE_SECRET_KEY', 'short', /BRIDGE_SECRET_KEY must be at least 16/],
    ['BRIDGE_BOOTSTRAP_ADMIN_KEY', 'tiny', /BRIDGE_BOOTSTRAP_ADMIN_KEY must be at least 16/],
    ['BRIDGE_NAMESPACE', 'Bad Name!', /BRIDGE_NAMESPACE may hold only/],
    ['BRIDGE_STUCK_DOSSIER_AFTER_MS', '10m', /BRIDGE_STUCK_DOSSIER_AFTER_MS must be a whole number/],
    ['BRIDGE_STUCK_DOSSIER_AFTER_MS', '500', /BRIDGE_STUCK_DOSSIER_AFTER_MS must be .* from 1000/],
    ['BRIDGE_STUCK_DOSSIER_SWEEP_MS', '-1', /BRIDGE_STUCK_DOSSIER_SWEEP_MS must be a whole number/],
    ['BRIDGE_STUCK_DOSSIER_SWEEP_MS', '3000000000', /BRIDGE_STUCK_DOSSIER_SWEEP_MS must be .* to 2147483647/],
  ])('refuses %s=%s and names the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('refuses the development secret key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /BRIDGE_SECRET_KEY must be set in production/,
    );
  });

  it('refuses agency file settings that would open the bridge to its agency files', () => {
    expect(() => loadConfig({ BRIDGE_AGENCY_FILES_ROOT: 'relative/dir' })).toThrow(
      /BRIDGE_AGENCY_FILES_ROOT must be an absolute directory other than \/, got "relative\/dir"/,
    );
    expect(() => loadConfig({ BRIDGE_AGENCY_FILES_ROOT: '/' })).toThrow(/BRIDGE_AGENCY_FILES_ROOT/);
    expect(() => loadConfig({ BRIDGE_AGENCY_ENV_ALLOW: 'GTVT_TOKEN,BRIDGE_SECRET_KEY' })).toThrow(
      /BRIDGE_AGENCY_ENV_ALLOW may not list the bridge's own BRIDGE_SECRET_KEY/,
    );
    expect(() => loadConfig({ BRIDGE_AGENCY_API_ENV: 'yes' })).toThrow(
      /BRIDGE_AGENCY_API_ENV must be true or false/,
    );
    expect(agencyFilesSettings({ BRIDGE_AGENCY_FILES_ROOT: '/srv/bridge-files' }).settings.filesRoot).toBe(
      '/srv/bridge-files',
    );
  });
});
