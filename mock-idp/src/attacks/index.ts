export { CATALOGUE, describeCatalogue, findMutation } from './catalogue.js';
export { armMutation, armedMutation, deliverResponse, disarmMutation } from './armed.js';
export type { Mutation, MutationContext, MutatedResponse, MutationNeeds } from './types.js';
