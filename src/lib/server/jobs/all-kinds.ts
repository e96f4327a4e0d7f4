// Every kind of job, imported here so that a process knows them all before its runner takes
// its first job (a kind defined only in a module loaded later would be refused meanwhile).
// Add each new kind's module to this list.
import './housekeeping.ts';
import '../nudges/check.ts';
import '../notifications/notifications.ts';
import '../protection/check-ins.ts';
import '../drills/inject-job.ts';
