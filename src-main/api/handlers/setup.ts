// Handlers of the setup methods: each calls one service.
import type { setupMethods } from '../methods/setup.ts';
import type { HandlersFor } from '../handler-types.ts';
import { createUnit, updateUnit } from '../../services/unit.ts';
import { createResource, reorderResources, setResourceActive, updateResource } from '../../services/resources.ts';

export const setupHandlers: HandlersFor<typeof setupMethods> = {
  'unit.create': ({ ctx, caller }, input) => createUnit(ctx, caller, input),
  'unit.update': ({ ctx, caller }, input) => updateUnit(ctx, caller, input),
  'resources.create': ({ ctx, caller }, input) =>
    createResource(ctx, caller, { ...input, hsaId: input.hsaId === '' ? null : input.hsaId }),
  'resources.update': ({ ctx, caller }, input) =>
    updateResource(ctx, caller, { ...input, hsaId: input.hsaId === '' ? null : input.hsaId }),
  'resources.setActive': ({ ctx, caller }, input) => setResourceActive(ctx, caller, input),
  'resources.reorder': ({ ctx, caller }, input) => reorderResources(ctx, caller, input),
};
