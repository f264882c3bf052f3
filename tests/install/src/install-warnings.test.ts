import { describe, expect, it } from 'vitest';
import { ourInstallWarnings } from './consumer-project.js';

describe('ourInstallWarnings', () => {
  it("keeps engine, peer and @pytake warnings from npm's output and nothing else", () => {
    const output = [
      'npm warn EBADENGINE Unsupported engine {',
      "npm warn EBADENGINE   package: 'ky@2.1.0',",
      'npm warn ERESOLVE overriding peer dependency',
      'npm warn deprecated @pytake/notify-core@0.0.1: use 0.1',
      'npm warn deprecated inflight@1.0.6: This module is not supported',
      '',
      'added 44 packages in 9s',
    ].join('\n');
    expect(ourInstallWarnings(output)).toEqual([
      'npm warn EBADENGINE Unsupported engine {',
      "npm warn EBADENGINE   package: 'ky@2.1.0',",
      'npm warn ERESOLVE overriding peer dependency',
      'npm warn deprecated @pytake/notify-core@0.0.1: use 0.1',
    ]);
  });
});
