import type { Db } from '../db/database.js'
import type { CategoryMatcher } from './categories.js'
import type { ReportScope } from './scope.js'

export interface HeldEventView {
  eventID: string
  organization: string | null
  eventTime: string
  state: 'held' | 'rejected'
  reasons: string[]
}

export interface PublicationSection {
  /** false while the repository keeps no publication state (publication control is another branch). */
  available: boolean
  held: number
  rejected: number
  events: HeldEventView[]
}

/**
 * The activity report's "held and rejected events with their reasons". Publication states come with
 * publication control (issue 18, first half), which this branch does not have: until it is merged this section
 * says it is not available. Merging it means replacing this one function with a read of the held and rejected
 * events in the scope.
 */
export async function publicationSection(_db: Db, _scope: ReportScope, _categories: CategoryMatcher[]): Promise<PublicationSection> {
  return { available: false, held: 0, rejected: 0, events: [] }
}
