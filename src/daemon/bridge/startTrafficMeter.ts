import type { Daemon } from '../daemon.js';
import { TrafficMeter } from './trafficMeter.js';

/** The traffic meter wired into the daemon's state view (the bridge deps feed it every request). */
export function startTrafficMeter(daemon: Daemon): TrafficMeter {
  const meter = new TrafficMeter();
  daemon.providers.traffic = () => meter.snapshot();
  daemon.providers.trafficActive = () => meter.active;
  return meter;
}
