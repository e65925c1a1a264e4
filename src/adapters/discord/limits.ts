/** Discord's documented size limits that shape how replies are split. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  /** Sum of every embed's title, description, field names/values, footer and author in one message. */
  embedTotal: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  buttonsPerRow: 5,
  actionRows: 5,
  buttonLabel: 80,
  customId: 100,
  filesPerMessage: 10,
  threadName: 100,
  modalTitle: 45,
  textInputMax: 4000,
  autocompleteChoices: 25,
  commandDescription: 100,
} as const;
