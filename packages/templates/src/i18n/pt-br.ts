import type { Messages } from './messages.js';

export const ptBR: Messages = {
  locale: 'pt-BR',
  durationListStyle: 'long',
  lessThanAMinute: 'menos de um minuto',
  // Feminine because the word qualifies "severidade" ("Severidade: Crítica"), not "alerta".
  severity: { critical: 'Crítica', high: 'Alta', medium: 'Média', low: 'Baixa' },
  level: (level) => (level >= 3 ? 'Admin' : `Nível ${level}`),
  subject: {
    created: (title) => `🚨 Alerta: ${title}`,
    escalated: (target, title) => `⚠️ Alerta escalado para ${target}: ${title}`,
    resolved: (title) => `✅ Alerta resolvido: ${title}`,
    stale: (title, inactive) => `⏰ Alerta parado: ${title} (inativo há ${inactive})`,
  },
  kind: {
    created: 'Novo alerta',
    escalated: 'Alerta escalado',
    resolved: 'Alerta resolvido',
    stale: 'Alerta parado',
  },
  summary: {
    created: (severity) => `Um novo alerta de severidade ${severity.toLowerCase()} precisa de atenção.`,
    escalated: (from, to) => `Escalado de ${from} para ${to}.`,
    resolved: (duration) => `Resolvido depois de ficar aberto por ${duration}.`,
    stale: (duration) => `Sem atividade há ${duration}.`,
  },
  label: {
    description: 'Descrição',
    severity: 'Severidade',
    category: 'Categoria',
    organization: 'Organização',
    createdAt: 'Criado em',
    fromLevel: 'De',
    toLevel: 'Para',
    reason: 'Motivo',
    assignedTo: 'Atribuído a',
    resolvedBy: 'Resolvido por',
    resolvedAt: 'Resolvido em',
    resolutionNotes: 'Notas da resolução',
    // "Aberto por" reads as "opened by" to a Brazilian operator.
    openFor: 'Duração',
    inactiveFor: 'Inativo há',
    lastActivity: 'Última atividade',
    currentOwner: 'Responsável atual',
    escalatedAt: 'Escalado em',
  },
  action: { view: 'Ver alerta', acknowledge: 'Reconhecer', resolve: 'Resolver', assign: 'Atribuir' },
  staleCallToAction:
    'Revise este alerta: reconheça-o, atualize o responsável ou resolva-o se ele não se aplica mais.',
  noLink: 'Abra o painel para ver este alerta.',
  footer: (brand, organization) =>
    `Você recebe este e-mail por estar na lista de alertas de ${organization} no ${brand}.`,
  firstReportedInDigest: 'Informado antes em um resumo desta tempestade de alertas.',
  // Counted words agree with "alerta" (masculine): "3 altos", "1 resolvido". In pt-BR, 0 and 1 are
  // singular (CLDR), but a count shown is never 0.
  digest: {
    heading: (count, n, organization) => `${n} ${count <= 1 ? 'alerta' : 'alertas'} em ${organization}`,
    severity: {
      critical: (count, n) => `${n} ${count <= 1 ? 'crítico' : 'críticos'}`,
      high: (count, n) => `${n} ${count <= 1 ? 'alto' : 'altos'}`,
      medium: (count, n) => `${n} ${count <= 1 ? 'médio' : 'médios'}`,
      low: (count, n) => `${n} ${count <= 1 ? 'baixo' : 'baixos'}`,
    },
    kind: {
      created: (count, n) => `${n} ${count <= 1 ? 'novo' : 'novos'}`,
      escalated: (count, n) => `${n} ${count <= 1 ? 'escalado' : 'escalados'}`,
      resolved: (count, n) => `${n} ${count <= 1 ? 'resolvido' : 'resolvidos'}`,
      stale: (count, n) => `${n} ${count <= 1 ? 'parado' : 'parados'}`,
    },
    subject: (heading, severities) => (severities ? `🚨 ${heading}: ${severities}` : `🚨 ${heading}`),
    age: (duration) => `há ${duration}`,
    more: (_, n) => `…e mais ${n}`,
    viewAll: 'Abrir a lista de alertas',
    column: { alert: 'Alerta', severity: 'Severidade', event: 'Evento', age: 'Criado' },
  },
};
