// mailauth ships no types; this is the part of `dkimVerify()` the DKIM test reads.
declare module 'mailauth/lib/dkim/verify.js' {
  export function dkimVerify(
    input: string | Buffer,
    options?: { resolver?: (name: string, rrtype: string) => Promise<string[][]> },
  ): Promise<{
    results: Array<{
      signingDomain: string;
      selector: string;
      signingHeaders?: { keys: string };
      status: { result: string; comment?: string; aligned?: string | false };
    }>;
  }>;
}
