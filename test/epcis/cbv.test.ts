import { readFileSync } from 'node:fs'
import t from 'tap'
import {
  VOCABULARY_KINDS,
  canonicalCbvUrn,
  canonicalVocabulary,
  isKnownTerm,
  toBareWordForm,
  toCurieForm,
  toUrnForm,
  vocabularyForms,
  type VocabularyKind,
} from '../../src/epcis/cbv.js'
import { TERMS } from '../../src/epcis/cbv/terms.js'

t.test('every kind has its terms from the vendored context', async (t) => {
  for (const kind of VOCABULARY_KINDS) t.ok(TERMS[kind].length > 0, kind)
  t.ok(TERMS.bizStep.includes('shipping'))
  t.ok(TERMS.bizStep.includes('sensor_reporting'))
  t.ok(TERMS.disposition.includes('completeness_verified'))
  t.same([...TERMS.errorReason].sort(), ['did_not_occur', 'incorrect_data'])
  t.same([...TERMS.sourceDestType].sort(), ['location', 'owning_party', 'possessing_party'])
  t.ok(TERMS.bizTransactionType.includes('desadv'))
  t.ok(TERMS.measurementType.includes('Temperature'))
  t.same([...TERMS.sensorAlertType].sort(), ['ALARM_CONDITION', 'ERROR_CONDITION'])
  t.ok(TERMS.component.includes('latitude'))
})

t.test('the term lists agree with the enums of the GS1 JSON Schema', async (t) => {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/gs1/EPCIS-JSON-Schema.json', import.meta.url), 'utf8'))
  const enumOf = (name: string): string[] => {
    const definition = schema.definitions[name] as { anyOf: Array<{ enum?: string[] }> }
    return definition.anyOf.find((branch) => branch.enum)!.enum!
  }
  const pairs: Array<[VocabularyKind, string]> = [
    ['bizStep', 'bizStep'],
    ['disposition', 'disposition'],
    ['bizTransactionType', 'bizTransaction-type'],
    ['sourceDestType', 'source-dest-type'],
    ['errorReason', 'error-reason'],
    ['measurementType', 'measurementType'],
    ['sensorAlertType', 'sensorAlertType'],
    ['component', 'component'],
  ]
  for (const [kind, definition] of pairs) t.same([...TERMS[kind]].sort(), enumOf(definition).sort(), kind)
})

t.test('bare word, URN, CURIE and Web URI all canonicalise to the Web URI', async (t) => {
  const cases: Array<[VocabularyKind, string[], string]> = [
    ['bizStep', ['shipping', 'urn:epcglobal:cbv:bizstep:shipping', 'cbv:BizStep-shipping', 'https://ref.gs1.org/cbv/BizStep-shipping'], 'https://ref.gs1.org/cbv/BizStep-shipping'],
    ['disposition', ['in_transit', 'urn:epcglobal:cbv:disp:in_transit', 'https://ref.gs1.org/cbv/Disp-in_transit'], 'https://ref.gs1.org/cbv/Disp-in_transit'],
    ['bizTransactionType', ['po', 'urn:epcglobal:cbv:btt:po', 'https://ref.gs1.org/cbv/BTT-po'], 'https://ref.gs1.org/cbv/BTT-po'],
    ['sourceDestType', ['owning_party', 'urn:epcglobal:cbv:sdt:owning_party', 'https://ref.gs1.org/cbv/SDT-owning_party'], 'https://ref.gs1.org/cbv/SDT-owning_party'],
    ['errorReason', ['incorrect_data', 'urn:epcglobal:cbv:er:incorrect_data', 'https://ref.gs1.org/cbv/ER-incorrect_data'], 'https://ref.gs1.org/cbv/ER-incorrect_data'],
    ['measurementType', ['Temperature', 'gs1:Temperature', 'https://gs1.org/voc/Temperature', 'https://ref.gs1.org/voc/Temperature'], 'https://gs1.org/voc/Temperature'],
    ['sensorAlertType', ['ALARM_CONDITION', 'gs1:ALARM_CONDITION', 'https://gs1.org/voc/ALARM_CONDITION'], 'https://gs1.org/voc/ALARM_CONDITION'],
    ['component', ['latitude', 'cbv:Comp-latitude', 'https://ref.gs1.org/cbv/Comp-latitude'], 'https://ref.gs1.org/cbv/Comp-latitude'],
  ]
  for (const [kind, inputs, expected] of cases) {
    for (const input of inputs) t.equal(canonicalVocabulary(kind, input), expected, `${kind} ${input}`)
  }
})

t.test('non-CBV values are kept as given', async (t) => {
  t.equal(canonicalVocabulary('bizStep', 'https://example.com/steps/unpack'), 'https://example.com/steps/unpack')
  t.equal(canonicalVocabulary('bizStep', 'urn:example:step:x'), 'urn:example:step:x')
  t.equal(canonicalVocabulary('bizStep', 'Shipping'), 'Shipping', 'case-sensitive')
  t.equal(canonicalVocabulary('bizStep', 'in_transit'), 'in_transit', 'a disposition word is no bizStep')
  t.equal(canonicalVocabulary('measurementType', 'example:someSensorProperty'), 'example:someSensorProperty')
  t.equal(canonicalVocabulary('bizTransactionType', 'urn:gs1:epcisapp:rail:btt:passage'), 'urn:gs1:epcisapp:rail:btt:passage')
  t.same(vocabularyForms('bizStep', 'https://example.com/x'), {})
})

t.test('a CBV URN or Web URI outside the term list still converts by its spelling', async (t) => {
  t.equal(canonicalVocabulary('bizTransactionType', 'urn:epcglobal:cbv:btt:packevent'), 'https://ref.gs1.org/cbv/BTT-packevent')
  t.same(vocabularyForms('disposition', 'https://ref.gs1.org/cbv/Disp-future_state'), {
    webUri: 'https://ref.gs1.org/cbv/Disp-future_state',
    curie: 'cbv:Disp-future_state',
    urn: 'urn:epcglobal:cbv:disp:future_state',
  })
  t.equal(toBareWordForm('disposition', 'urn:epcglobal:cbv:disp:future_state'), 'urn:epcglobal:cbv:disp:future_state', 'no bare word for an unknown term')
  t.equal(canonicalCbvUrn('urn:epcglobal:cbv:sdt:location'), 'https://ref.gs1.org/cbv/SDT-location')
  t.equal(canonicalCbvUrn('urn:epcglobal:cbv:bt:4012345000009:ASN1099'), 'urn:epcglobal:cbv:bt:4012345000009:ASN1099', 'a business transaction id, not a vocabulary value')
})

t.test('forms for XML output', async (t) => {
  t.same(vocabularyForms('bizStep', 'receiving'), {
    bareWord: 'receiving',
    urn: 'urn:epcglobal:cbv:bizstep:receiving',
    webUri: 'https://ref.gs1.org/cbv/BizStep-receiving',
    curie: 'cbv:BizStep-receiving',
  })
  t.equal(toUrnForm('bizStep', 'https://ref.gs1.org/cbv/BizStep-receiving'), 'urn:epcglobal:cbv:bizstep:receiving')
  t.equal(toUrnForm('errorReason', 'did_not_occur'), 'urn:epcglobal:cbv:er:did_not_occur')
  t.equal(toUrnForm('measurementType', 'Temperature'), 'gs1:Temperature', 'no URN: the CURIE of the XML binding')
  t.equal(toUrnForm('component', 'https://ref.gs1.org/cbv/Comp-x'), 'cbv:Comp-x')
  t.equal(toUrnForm('bizStep', 'https://example.com/x'), 'https://example.com/x')
  t.equal(toBareWordForm('sourceDestType', 'urn:epcglobal:cbv:sdt:possessing_party'), 'possessing_party')
  t.equal(toBareWordForm('measurementType', 'https://gs1.org/voc/Speed'), 'Speed')
  t.equal(toCurieForm('measurementType', 'Speed'), 'gs1:Speed')
  t.ok(isKnownTerm('bizStep', 'urn:epcglobal:cbv:bizstep:void_shipping'))
  t.notOk(isKnownTerm('bizStep', 'urn:epcglobal:cbv:bizstep:flying'))
})

t.test('every known term round-trips through all of its forms', async (t) => {
  let checked = 0
  for (const kind of VOCABULARY_KINDS) {
    for (const word of TERMS[kind]) {
      const forms = vocabularyForms(kind, word)
      for (const form of [forms.bareWord, forms.urn, forms.webUri, forms.curie]) {
        if (form === undefined) continue
        if (canonicalVocabulary(kind, form) !== forms.webUri) t.fail(`${kind} ${form}`)
        if (toBareWordForm(kind, form) !== word) t.fail(`${kind} ${form} bare`)
        checked++
      }
    }
  }
  t.ok(checked > 300, `${checked} forms checked`)
})
