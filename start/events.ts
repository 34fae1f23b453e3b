/*
| Event bus wiring. Lifecycle event types live in app/classes/lifecycle_events.ts;
| plugins subscribe through their host API.
*/
import '#app/classes/lifecycle_events'
