import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config.ts';

describe('the configuration of logs and metrics', () => {
  it('leaves metrics off and logs at info by default', () => {
    const config = loadConfig({});
    assert.equal(config.metricsToken, undefined);
    assert.deepEqual(config.metricsAllow, []);
    assert.equal(config.logLevel, 'info');
  });

  it('reads the token, the allowed addresses and the level', () => {
    const config = loadConfig({ METRICS_TOKEN: 'a-token-of-16-chars', METRICS_ALLOW: ' 127.0.0.1, ::1 ,', LOG_LEVEL: 'warn' });
    assert.equal(config.metricsToken, 'a-token-of-16-chars');
    assert.deepEqual(config.metricsAllow, ['127.0.0.1', '::1']);
    assert.equal(config.logLevel, 'warn');
  });

  it('refuses a short token, a token with spaces, a range or a name as an address, and an unknown level, without echoing the value', () => {
    for (const env of [
      { METRICS_TOKEN: 'short-secret' },
      { METRICS_TOKEN: 'long enough but spaced' },
      { METRICS_ALLOW: '10.0.0.0/8' },
      { METRICS_ALLOW: 'prometheus.internal' },
      { LOG_LEVEL: 'verbose' },
    ]) {
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => err instanceof ConfigError && !err.message.includes(Object.values(env)[0]!),
        JSON.stringify(env),
      );
    }
  });
});
