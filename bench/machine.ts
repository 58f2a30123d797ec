import os from 'node:os'
import pg from 'pg'

export interface MachineInfo {
  cpus: number
  cpuModel: string
  totalMemoryGiB: number
  platform: string
  node: string
  postgres: string
}

export async function describeMachine(databaseUrl: string): Promise<MachineInfo> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const version = await client.query<{ server_version: string }>('SHOW server_version')
    const cpus = os.cpus()
    return {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres: version.rows[0]?.server_version ?? 'unknown',
    }
  } finally {
    await client.end()
  }
}

export function renderMachine(machine: MachineInfo, databaseKind: string): string {
  return [
    `machine    ${machine.cpus} CPUs, ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB RAM, ${machine.platform}`,
    `node       ${machine.node}`,
    `postgres   ${machine.postgres} (${databaseKind})`,
  ].join('\n')
}
