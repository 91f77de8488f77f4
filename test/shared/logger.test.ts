import { describe, expect, it } from '@jest/globals';
import { masksOf } from '../../shared/logger.ts';

describe('masksOf: what one secret value registers with the runner', () => {
  it('masks a single-line value whole, even a short one', () => {
    expect(masksOf('s3cr3t-token')).toEqual(['s3cr3t-token']);
    expect(masksOf('abc')).toEqual(['abc']);
    expect(masksOf('  padded\n')).toEqual(['padded']);
    expect(masksOf('')).toEqual([]);
  });

  it('masks a PEM line by line, without its armour or short lines', () => {
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASC\nab\n-----END PRIVATE KEY-----\n';
    expect(masksOf(pem)).toEqual(['MIIEvQIBADANBgkqhkiG9w0B', 'AQEFAASC']);
  });
});
