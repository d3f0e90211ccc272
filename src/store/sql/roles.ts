import type { Role, RoleAssignment } from '../../core/model.ts';
import type { Queryable } from '../db.ts';
import type { RoleRepository } from '../store.ts';

interface RoleRow {
  role: Role;
  holder: string;
  holder_id: string;
  assigned_by: string;
  assigned_by_id: string;
  assigned_at: Date;
}

export function roleRepository(q: Queryable): RoleRepository {
  return {
    async assign(incidentId, a: RoleAssignment) {
      await q.query(
        `insert into incident_roles (incident_id, role, holder, holder_id, assigned_by, assigned_by_id, assigned_at)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (incident_id, role) do update
           set holder = excluded.holder, holder_id = excluded.holder_id, assigned_by = excluded.assigned_by,
               assigned_by_id = excluded.assigned_by_id, assigned_at = excluded.assigned_at`,
        [incidentId, a.role, a.holder, a.holderId, a.assignedBy, a.assignedById, a.assignedAt],
      );
    },
    async list(incidentId) {
      const { rows } = await q.query<RoleRow>(
        `select role, holder, holder_id, assigned_by, assigned_by_id, assigned_at from incident_roles where incident_id = $1
         order by array_position(array['commander', 'comms', 'scribe'], role)`,
        [incidentId],
      );
      return rows.map((r) => ({
        role: r.role,
        holder: r.holder,
        holderId: r.holder_id,
        assignedBy: r.assigned_by,
        assignedById: r.assigned_by_id,
        assignedAt: r.assigned_at,
      }));
    },
  };
}
