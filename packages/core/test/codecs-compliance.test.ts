/**
 * The codec compliance area over core's reference backing (asynchronous, as most backends are):
 * every serializer x compressor x encryptor combination round-trips, detects damage and is read
 * back by a store configured otherwise. Codecs sit above the bytes a backend moves, so one
 * backend suffices; the whole Store suite runs once per backend with the default codecs.
 */
import { runCodecCompliance } from '@konserve-rx/core/testing';
import { of } from 'rxjs';
import { createStore } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

const maps = new Map<string, Map<string, Uint8Array>>();
const mapOf = (place: string): Map<string, Uint8Array> => maps.get(place) ?? maps.set(place, new Map()).get(place)!;

runCodecCompliance({ name: 'reference (async)', connect: (codecs, place) => of(createStore(referenceBacking({ async: true, map: mapOf(place) }), codecs)) });
