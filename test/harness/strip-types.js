// Jest transform for TypeScript sources: Node's own type stripping (node:module), the same
// thing Node 24 does when it runs a .ts file. Types become whitespace, so line and column
// numbers stay exact and no source map is needed. The sources use only erasable syntax
// (tsconfig: erasableSyntaxOnly), which is what makes this sufficient.
import { stripTypeScriptTypes } from 'node:module';

export default {
  process(sourceText, sourcePath) {
    return { code: stripTypeScriptTypes(sourceText, { mode: 'strip', sourceUrl: sourcePath }) };
  },
};
