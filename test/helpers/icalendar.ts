/** Debian's python3-icalendar (a real calendar parser) with dateutil's RRULE expansion, run with the system python3. */
import { execFileSync } from 'node:child_process';

export type ParsedEvent = {
  uid: string;
  summary: string;
  /** SUMMARY's and DESCRIPTION's LANGUAGE parameters, when written. */
  summaryLanguage?: string;
  description?: string;
  descriptionLanguage?: string;
  url?: string;
  tzid?: string;
  /** DTSTART and DTEND as written (local wall time when there is a TZID). */
  dtstart: string;
  dtend: string;
  rrule?: string;
  /** The first `count` starts, in UTC, expanded by dateutil in the zone the calendar's own VTIMEZONE defines. */
  starts: string[];
};

/**
 * Parses a calendar with icalendar; a recurring event is expanded with dateutil's rrule, wall
 * times placed in its zone through the VTIMEZONE the file carries (not the system's zone data).
 */
export function icalparse(text: string, count = 10): { timezones: string[]; name: string; events: ParsedEvent[] } {
  const script = `
import icalendar, itertools, json, sys, pytz
from dateutil.rrule import rrulestr
cal = icalendar.Calendar.from_ical(sys.stdin.read())
zones = {tz['TZID']: tz.to_tz() for tz in cal.walk('VTIMEZONE')}
out = []
for e in cal.walk('VEVENT'):
    start = e['DTSTART'].dt
    tzid = e['DTSTART'].params.get('TZID')
    ev = {"uid": str(e['UID']), "summary": str(e['SUMMARY']), "dtstart": start.isoformat(), "dtend": e['DTEND'].dt.isoformat()}
    if tzid: ev["tzid"] = tzid
    for key, name in (('SUMMARY', 'summary'), ('DESCRIPTION', 'description')):
        if key in e and e[key].params.get('LANGUAGE'): ev[name + "Language"] = e[key].params['LANGUAGE']
    if 'DESCRIPTION' in e: ev["description"] = str(e['DESCRIPTION'])
    if 'URL' in e: ev["url"] = str(e['URL'])
    if 'RRULE' in e:
        rule = e['RRULE'].to_ical().decode()
        ev["rrule"] = rule
        naive = start.replace(tzinfo=None)
        tz = zones[tzid]
        ev["starts"] = [tz.localize(d).astimezone(pytz.utc).strftime('%Y-%m-%dT%H:%M:%SZ') for d in itertools.islice(rrulestr(rule, dtstart=naive, ignoretz=True), ${count})]
    else:
        ev["starts"] = [start.astimezone(pytz.utc).strftime('%Y-%m-%dT%H:%M:%SZ')]
    out.append(ev)
print(json.dumps({"timezones": list(zones), "name": str(cal.get('X-WR-CALNAME', '')), "events": out}))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: text }).toString());
}
