import { AI_TABLE } from '../identifiers/ai-table.generated.js'

/** The AIs that can start a GS1 Digital Link path (dlpkey in the GS1 Barcode Syntax Dictionary), e.g. 00, 01, 414. */
export const PRIMARY_KEY_AIS: readonly string[] = AI_TABLE.filter((entry) => entry.dlPrimaryKey !== null).flatMap((entry) => {
  const ais: string[] = []
  for (let code = Number(entry.first); code <= Number(entry.last); code++) ais.push(String(code).padStart(entry.first.length, '0'))
  return ais
})
