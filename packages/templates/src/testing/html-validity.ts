import { HtmlValidate } from 'html-validate';

/**
 * html-validate's recommended rules, minus the ones that email HTML breaks on purpose. Every other rule
 * (nesting, unclosed or duplicate elements, duplicate attributes and ids, raw `<` and `&`) still applies.
 */
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // React Email emits the XHTML 1.0 Transitional doctype and self-closing void tags (<meta/>),
    // which is what email clients (Outlook's Word engine in particular) are tested against.
    'doctype-html': 'off',
    'void-style': 'off',
    // Gmail and Outlook drop <style> blocks in many cases, so email styles must be inline.
    'no-inline-style': 'off',
    // width/align/cellpadding/cellspacing on tables are how Outlook lays out email; CSS alone is not enough.
    'no-deprecated-attr': 'off',
    // React writes cellPadding/cellSpacing in camelCase; HTML attribute names are case-insensitive.
    'attr-case': 'off',
    // React Email's <Button> pads itself in Outlook with <!--[if mso]> conditional comments.
    'no-conditional-comment': 'off',
    // <title> is the subject line, and alert titles may be 255 characters long.
    'long-title': 'off',
    // A source-formatting rule: descriptions are shown with white-space: pre-wrap, so their own trailing
    // spaces are kept as sent.
    'no-trailing-whitespace': 'off',
  },
});

/** Validates a whole HTML document; returns the messages as `rule: message` strings (empty when valid). */
export async function htmlProblems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) =>
    result.messages.map((m) => `${m.ruleId}: ${m.message} (${m.line}:${m.column}) ${m.selector ?? ''}`),
  );
}
