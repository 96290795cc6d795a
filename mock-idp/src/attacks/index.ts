export { CATALOGUE, describeCatalogue, findMutation } from './catalogue.js';
export {
  armMutation,
  armedMutation,
  deliverLogoutRequest,
  deliverResponse,
  disarmMutation,
} from './armed.js';
export type {
  CatalogueEntry,
  LogoutMutation,
  Mutation,
  MutationContext,
  MutatedResponse,
  MutationNeeds,
} from './types.js';
