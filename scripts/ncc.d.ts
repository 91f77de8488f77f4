declare module '@vercel/ncc' {
  interface NccOptions {
    minify?: boolean;
    sourceMap?: boolean;
    sourceMapRegister?: boolean;
    quiet?: boolean;
    cache?: boolean | string;
    target?: string;
    /** Left as imports: names, or name → what the bundle imports instead. */
    externals?: string[] | Record<string, string>;
  }
  interface NccAsset {
    source: string | Buffer;
    permissions?: number;
  }
  function ncc(
    input: string,
    options?: NccOptions,
  ): Promise<{ code: string; assets: Record<string, NccAsset> }>;
  export default ncc;
}
