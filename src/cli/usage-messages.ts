/**
 * What the `mamori` command says when the command line itself is wrong (exit code 2), and the
 * fixed words of its `--help`, in the operator's language. A UsageError carries a key of this
 * table and its values; main.ts says it in the language of the line. Option names, command words
 * and placeholders such as LOGIN_ID stay as typed in both languages: they are what the operator
 * types next. The line `usage: mamori …` stays as it is too — it is the command as typed, and
 * what scripts and the docs search for.
 */
import { sayFrom } from './answers';
import type { CliLanguage } from './messages';

const en = {
  noCommand: 'a command is required',
  groupNeedsCommand: '{group} needs a command',
  unknownCommand: 'unknown command: {words}',
  flagTakesNoValue: '{option} takes no value',
  unknownOption: 'unknown option {option} for mamori {command}',
  needsValue: '{option} needs a value',
  givenTwice: '{option} is given twice',
  optionRequired: '{option} is required',
  argumentRequired: '{name} is required',
  fileRequired: 'a FILE argument (or - for standard input) is required',
  unexpectedArgument: 'unexpected argument: {argument}',
  notJson: 'the input is not valid JSON: {reason}',
  importNotArray: 'the import file must hold a JSON array of accounts',
  byPostOrMail: '--by must be post or mail',
  langJaOrEn: '--lang must be ja or en',
  roleUnknown: '--role must be viewer, operator or supervisor',
  fileNotFound: 'file not found: {path}',
  'help.options': 'options:',
  'help.required': 'required',
  'help.optional': 'optional',
  'help.help': 'show this text',
  'help.more': '(mamori <command> --help for its options)',
  'help.helpCommand': "this text, or a command's usage",
} as const;

export type UsageText = keyof typeof en;
/** The sentences a UsageError may carry; `help.*` are words of the usage itself. */
export type UsageKey = Exclude<UsageText, `help.${string}`>;

const ja: Record<UsageText, string> = {
  noCommand: 'コマンドを指定してください。',
  groupNeedsCommand: '{group} の後にコマンドを指定してください。',
  unknownCommand: '{words} というコマンドはありません。',
  flagTakesNoValue: '{option} には値を付けられません。',
  unknownOption: 'mamori {command} に {option} というオプションはありません。',
  needsValue: '{option} の値を指定してください。',
  givenTwice: '{option} が 2 回指定されています。1 回だけ指定してください。',
  optionRequired: '{option} は必須です。空でない値を指定してください。',
  argumentRequired: '{name} を指定してください。',
  fileRequired: 'FILE（標準入力から読むときは -）を指定してください。',
  unexpectedArgument: '余分な引数があります: {argument}',
  notJson: '入力が JSON として正しくありません: {reason}',
  importNotArray: '取り込むファイルには、お客様の JSON 配列を入れてください。',
  byPostOrMail: '--by には post か mail を指定してください。',
  langJaOrEn: '--lang には ja か en を指定してください。',
  roleUnknown: '--role には viewer、operator、supervisor のいずれかを指定してください。',
  fileNotFound: 'ファイルが見つかりません: {path}',
  'help.options': 'オプション:',
  'help.required': '必須',
  'help.optional': '省略可',
  'help.help': 'この説明を表示します',
  'help.more': '（各コマンドのオプションは mamori <command> --help で表示します）',
  'help.helpCommand': 'この説明、または指定したコマンドの使い方を表示します',
};

export const enUsage: Record<UsageText, string> = en;
export const jaUsage = ja;

export const usageText = sayFrom<UsageText>({ ja, en });
