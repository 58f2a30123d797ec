import t from 'tap'
import { loadConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  const config = loadConfig({})
  t.equal(config.PORT, 8080)
  t.equal(config.DATA_DIR, './.data')
  t.equal(config.CAPTURE_LIMIT, 10000)
  t.equal(config.CAPTURE_FILE_SIZE_LIMIT, 64 * 1024 * 1024)
  t.equal(config.DATABASE_URL, undefined)
  t.equal(config.MIGRATE_ON_START, true)
})

t.test('values are read and coerced', async (t) => {
  const config = loadConfig({ PORT: '9090', DATABASE_URL: 'postgres://u:p@db:5432/nguon', MIGRATE_ON_START: 'false', PUBLIC_BASE_URL: 'https://truyxuat.example.vn' })
  t.equal(config.PORT, 9090)
  t.equal(config.MIGRATE_ON_START, false)
  t.equal(config.PUBLIC_BASE_URL, 'https://truyxuat.example.vn')
})

t.test('a bad value stops the start with a message naming the variable', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/)
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT/)
  t.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/)
  t.throws(() => loadConfig({ CAPTURE_LIMIT: '0' }), /CAPTURE_LIMIT/)
  t.throws(() => loadConfig({ PUBLIC_BASE_URL: 'truyxuat.example.vn' }), /PUBLIC_BASE_URL/)
  t.throws(() => loadConfig({ DEFAULT_PER_PAGE: '500', MAX_PER_PAGE: '100' }), /MAX_PER_PAGE/)
})

t.test('unrelated environment variables are ignored', async (t) => {
  t.notOk('HOME' in loadConfig({ HOME: '/root' }))
})
