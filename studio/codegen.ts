import type { CodegenConfig } from '@graphql-codegen/cli';
import { NoDeprecatedCustomRule, buildASTSchema, validate, type DocumentNode } from 'graphql';

/**
 * Types for every operation of the studio, from the API's committed schema (`pnpm codegen`).
 * `pnpm codegen:check` writes the same output into a temporary folder (RECOUP_CODEGEN_OUT) and
 * fails when it differs from the checked-in src/gql/.
 */
declare const process: { env: Record<string, string | undefined> }; // Node's, without Node's types in the studio
const output = process.env.RECOUP_CODEGEN_OUT ?? 'src/gql/';

/**
 * Refuses a field, argument or enum value the schema marks @deprecated (kept for one release for
 * older clients): the studio moves to the replacement as soon as the schema names one.
 */
const noDeprecatedUse = {
  transform: ({ documents, schema }: { documents: { document?: DocumentNode; location?: string }[]; schema: DocumentNode }) => {
    const checked = buildASTSchema(schema, { assumeValidSDL: true });
    const uses = documents.flatMap(({ document, location }) =>
      document ? validate(checked, document, [NoDeprecatedCustomRule]).map((e) => `${location ?? 'a document'}: ${e.message}`) : [],
    );
    if (uses.length > 0) throw new Error(`The studio uses deprecated parts of the schema:\n${uses.join('\n')}`);
    return documents;
  },
};

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  // Finding no operation at all (a wrong glob) fails the run instead of emptying src/gql.
  ignoreNoDocuments: false,
  generates: {
    [output.endsWith('/') ? output : `${output}/`]: {
      preset: 'client',
      documentTransforms: [noDeprecatedUse],
      presetConfig: {
        gqlTagName: 'graphql',
        // Components receive plain data; Apollo's cache normalises what fragments share.
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        // Enums as string unions (the preset's enumsAsTypes): no runtime objects, plain strings compared.
        enumType: 'string-literal',
        // Every custom scalar is named here, so a new one fails the run instead of becoming `any`.
        strictScalars: true,
        scalars: {
          Date: 'string',
          DateTimeISO: 'string',
          Decimal: 'string',
          JSON: 'unknown',
        },
      },
    },
  },
};

export default config;
