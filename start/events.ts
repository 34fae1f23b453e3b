/*
| Event bus wiring. Lifecycle event types live in app/classes/lifecycle_events.ts, activity
| signals (engagement) in app/classes/activity_signals.ts;
| plugins subscribe through their host API.
*/
import '#app/classes/lifecycle_events'
import '#app/classes/activity_signals'
