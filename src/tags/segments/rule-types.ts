/** The segment rule vocabulary lives with the SQL that compiles it (src/storage/segments/); the core reads it here. */
export * from '../../storage/segments/rule-types';
