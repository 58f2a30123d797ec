/** One slice of a capture job's accepted events, as JSON text of [position, event] pairs. */
export interface CaptureJobPartTable {
  capture_job_id: number
  seq: number
  events: string
}
