import type { ValidateFunction } from 'ajv'
import type { CslItem } from './schema.js'

/** Whether a value is a CSL-JSON item by the official schema; its `errors` say why not. Generated: csl-data-validator.js. */
export declare const validate: ValidateFunction<CslItem>
