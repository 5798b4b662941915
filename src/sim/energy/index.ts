export * from './constants';
export * from './csc';
export * from './energy';
export * from './footprint';
export * from './work';
