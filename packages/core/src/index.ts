/** @konserve-rx/core: the Store over any BackingStore, with RxJS Observables. */
export { createStore, inspectStore } from './create-store';
export { connectBacking } from './connect-backing';
export type { StoreInspection } from './create-store';
export type { CodecNames } from './format/value-codec';
export { BACKING_OPS, lockIdOf, passThrough, wrapBacking } from './backing';
export { attemptMaybe, fromMaybe, isThenable, mapMaybe } from './maybe-promise';
export { ownedBytes } from './internal/blob-slab';
export { announcedBy, decodeChangeNotice, encodeChangeNotice, encodeChangeNoticeAround } from './format/notice';
export { BLIND_DELETE_FORMAT } from './format/blob';
export { DIAGNOSTIC_CHANNELS, publishDiagnostic } from './diagnostics';
export type { DiagnosticChannel, DiagnosticEvent } from './diagnostics';
export type {
  BackingOp,
  OptionalMethod,
  OptionalWrappers,
  BackingStore,
  BackingCapabilities,
  BatchEntry,
  BlobHandle,
  ChangeNotice,
  DeletionNotice,
  MaybePromise,
  ReleaseLock,
} from './backing';
export type {
  AppendLogHead,
  AssocOptions,
  BinaryBlob,
  BinaryInput,
  BlobType,
  Change,
  Key,
  KeysOptions,
  Meta,
  MetaFn,
  MultiAssocOptions,
  MultiEntries,
  Path,
  Store,
  StoreEntry,
  StoreRecord,
  UpdateOptions,
  UpdateSpec,
  UserMeta,
  WriteEvent,
  WriteOp,
  TypedStore,
} from './store-api';
export type {
  AppendLog,
  Declared,
  DeclaredLogElement,
  LogElement,
  PathValue,
  ReduceFn,
  Schema,
  SchemaOf,
  StoreKey,
  StorePath,
  StoreValue,
  UpdateFn,
  ValueAt,
} from './schema';
export type { StoreOptions } from './options';
export { toAsync } from './async/to-async';
export type { AsyncStore } from './async/to-async';
export { eachValueOf } from './async/each-value-of';
export { STORE_OPTIONS } from './options';
export { checkOptions, optionNames, pickOptions } from './internal/check-options';
export type { OptionNameList, OptionNames } from './internal/check-options';
export { getFrom } from './operators/get-from';
export { assocTo } from './operators/assoc-to';
export { updateWith } from './operators/update-with';
export { dissocFrom } from './operators/dissoc-from';
export { existsIn } from './operators/exists-in';
export { DEFAULT_CONCURRENCY } from './operators/options';
export type { Keyed, OperatorOptions, PlainOptions, WithKeyOptions } from './operators/options';
export type { Compressor, Encryptor, Serializer } from './codec';
export {
  KonserveError,
  KONSERVE_ERROR_CODES,
  isKonserveError,
  ioError,
  corrupt,
  invalidArgument,
  locked,
  lockLost,
  simulatedFailure,
  unsupportedFormat,
} from './errors';
export type { KonserveErrorCode, KonserveErrorOptions } from './errors';
export { cborSerializer, CBOR_SERIALIZER_ID } from './serializers/cbor';
export type { CborSerializerOptions } from './serializers/cbor';
export { jsonSerializer, JSON_SERIALIZER_ID } from './serializers/json';
export type { JsonSerializerOptions } from './serializers/json';
export { customType } from './serializers/custom-type';
export type { CustomType } from './serializers/custom-type';
export { TaggedValue } from './serializers/tagged-value';
export { gzipCompressor, GZIP_COMPRESSOR_ID } from './compressors/gzip';
export type { GzipCompressorOptions } from './compressors/gzip';
export { brotliCompressor, BROTLI_COMPRESSOR_ID } from './compressors/brotli';
export type { BrotliCompressorOptions } from './compressors/brotli';
export { lz4Compressor, LZ4_COMPRESSOR_ID } from './compressors/lz4';
export { aesGcmEncryptor, AES_GCM_ENCRYPTOR_ID, AES_GCM_UNBOUND_ENCRYPTOR_ID } from './encryptors/aes-gcm';
export type { AesGcmEncryptorOptions } from './encryptors/aes-gcm';
export { BACKEND_PACKAGES, backendOptions, connectStore, deleteStore, registerBackend, registeredBackends, releaseStore, storeExists } from './registry';
export type { BackendConnector, BackendDescriptor, ConnectMode, ConnectOptions, StoreConfig } from './registry';
export { DEFAULT_SWEEP_BATCH_SIZE, safePoint, sweep, unreferencedWrites } from './gc';
export type { KeepKeys, SweepEvent, SweepOptions } from './gc';
export { EXPIRING_FORMAT_VERSION, FORMAT_VERSION, HEADER_SIZE, NEWEST_FORMAT_VERSION } from './format/blob';
export { deriveSeed, mulberry32, randomSeed } from './random';
export type { Random } from './random';
