import { ApiProperty } from '@nestjs/swagger';

/** Who the credentials of the request belong to, and until when a Bearer session works. */
export class CurrentSessionDto {
  /**
   * The DeepCall account id the request is authenticated as.
   * @example "demo"
   */
  userId: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the session ends if it is not used (this request moved it forward); null for Basic credentials, which have no session.',
    example: '2026-11-27T16:30:00.000Z',
  })
  expiresAt: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the session ends whatever its use (its maximum age); null for Basic credentials.',
    example: '2026-11-28T04:00:00.000Z',
  })
  absoluteExpiresAt: string | null;
}
