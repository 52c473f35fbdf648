/** The house format: long lines (SQL and GraphQL decorators read better unbroken), single quotes. */
export default {
  printWidth: 160,
  singleQuote: true,
  trailingComma: 'all',
  embeddedLanguageFormatting: 'off',
};
